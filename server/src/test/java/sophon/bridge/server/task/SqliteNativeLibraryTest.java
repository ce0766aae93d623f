package sophon.bridge.server.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

class SqliteNativeLibraryTest {
    @Test
    void writesThePlatformsLibraryOnceAndNamesItForChildren(@TempDir Path tmp) throws Exception {
        List<String> flags = SqliteNativeLibrary.install(tmp);
        Path dir = tmp.resolve("sqlite-" + SQLiteJDBCLoader.getVersion());
        Path lib = dir.resolve("libsqlitejdbc.so");
        assertEquals(List.of("-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=libsqlitejdbc.so"), flags);
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/libsqlitejdbc.so")) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(lib));
        }
        // A file children may have mapped is never rewritten by a later start.
        FileTime old = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(lib, old);
        assertEquals(flags, SqliteNativeLibrary.install(tmp));
        assertEquals(old, Files.getLastModifiedTime(lib));
        try (var s = Files.list(dir)) {
            assertTrue(s.allMatch(lib::equals), "no .part file left");
        }
    }
}
