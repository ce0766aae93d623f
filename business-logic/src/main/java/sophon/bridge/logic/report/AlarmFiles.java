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
        Path file = dir.resolve(safeTask + "_" + frameIndex + "_" + id + ".json");
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.write(tmp, json);
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
