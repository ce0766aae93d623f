package sophon.bridge.server.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free space of the file system holding a folder, as the server's own user may use it. */
public final class DiskSpace {
    private DiskSpace() {}

    /** Usable bytes, or -1 when the file system cannot tell (then nothing is judged on it). */
    public static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
