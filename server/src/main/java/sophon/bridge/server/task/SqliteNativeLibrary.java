package sophon.bridge.server.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * sqlite-jdbc's native library, written once to {@code <data-dir>/native/} and used from there by
 * the server and every business-logic child. Left to itself, sqlite-jdbc copies the library to a
 * new temporary file in every JVM, so 16 children mapped 16 different files: ~0.85 MB of private
 * memory each (box bench, business-logic/README.md). One file is mapped shared by all of them.
 */
public final class SqliteNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String NAME = "libsqlitejdbc.so";

    private SqliteNativeLibrary() {}

    /**
     * Writes the library under nativeDir (once per sqlite-jdbc version), points this JVM's
     * sqlite-jdbc at it (before its first connection) and returns the same as JVM flags for
     * children. Any failure leaves sqlite-jdbc's own behaviour: no flags, a warning.
     */
    public static List<String> install(Path nativeDir) {
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + NAME;
        Path dir = nativeDir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion());
        Path lib = dir.resolve(NAME);
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                log.warn("no {} in sqlite-jdbc for this platform; each JVM extracts its own", resource);
                return List.of();
            }
            if (!Files.isRegularFile(lib)) {
                Files.createDirectories(dir);
                // Written beside and moved in place, so a JVM never maps a half-written file.
                Path part = Files.createTempFile(dir, NAME, ".part");
                try {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException e) {
            log.warn("cannot write {} ({}); each JVM extracts its own", lib, e.getMessage());
            return List.of();
        }
        System.setProperty("org.sqlite.lib.path", dir.toString());
        System.setProperty("org.sqlite.lib.name", NAME);
        return List.of("-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=" + NAME);
    }
}
