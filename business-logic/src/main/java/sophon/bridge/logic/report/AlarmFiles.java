package sophon.bridge.logic.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The optional copy of each alarm as a JSON file, written whole (temp file, then rename). */
public final class AlarmFiles {
    private final Path dir;

    public AlarmFiles(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Writes {@code <TaskID>_<FrameIndex>_<outbox id>.json}; returns the file. */
    public Path write(String taskId, long frameIndex, long id, byte[] json) throws IOException {
        String safeTask = taskId.replaceAll("[^\\p{L}\\p{N}]", "_");
        return writeWhole(dir, safeTask + "_" + frameIndex + "_" + id + ".json", json);
    }

    /** Writes dir/name whole: a reader sees the old file or the new one, never a part. */
    static Path writeWhole(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
