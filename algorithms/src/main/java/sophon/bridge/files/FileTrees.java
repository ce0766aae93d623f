package sophon.bridge.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File helpers for task folders and config sets. */
public final class FileTrees {
    private FileTrees() {}

    /** Removes a folder and everything in it, without following symbolic links out of it. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Writes via a temporary file and a rename, so a reader (a child starting, the server after a
     * crash of its own) sees the old or the new file, never half of one. Nothing is fsynced: after
     * a power cut the file may be old, empty or missing. That is enough because no file written
     * here is the truth: the task is in the SQLite store ({@code synchronous=FULL}), and every
     * start rewrites {@code task.json} from it and makes the config set of every active entry again.
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
