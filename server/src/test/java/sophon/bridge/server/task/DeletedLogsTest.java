package sophon.bridge.server.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs of deleted tasks: kept under deleted/<TaskID>-<time>/, tails only, bounded by count and size. */
class DeletedLogsTest {
    @Test
    void keepsTheTailOfEachLogAndItsRotatedFile(@TempDir Path tmp) throws Exception {
        Path task = Files.createDirectories(tmp.resolve("tasks/cam1/0-yolov5"));
        Files.writeString(task.resolve("business-logic.log.1"), "old-old\n".repeat(100));
        Files.writeString(task.resolve("business-logic.log"), "new\n");
        Files.writeString(task.resolve("stream.log"), "x".repeat(5000));
        DeletedLogs kept = new DeletedLogs(tmp.resolve("deleted"), 20, 1 << 20, 1000);
        kept.keep("cam1", tmp.resolve("tasks/cam1"));
        List<Path> folders = folders(tmp.resolve("deleted"));
        assertEquals(1, folders.size());
        assertTrue(folders.get(0).getFileName().toString().matches("cam1-\\d{8}T\\d{6}\\.\\d{3}Z"), folders.toString());
        String bl = Files.readString(folders.get(0).resolve("0-yolov5/business-logic.log"));
        assertEquals(804, bl.length()); // all of both: under the 1000-byte cap
        assertTrue(bl.endsWith("old-old\nnew\n"), bl);
        assertEquals(1000, Files.size(folders.get(0).resolve("0-yolov5/stream.log")));
    }

    @Test
    void boundedByCountAndSizeOldestFirst(@TempDir Path tmp) throws Exception {
        DeletedLogs kept = new DeletedLogs(tmp.resolve("deleted"), 3, 2500, 1000);
        for (int i = 0; i < 6; i++) {
            Path entry = Files.createDirectories(tmp.resolve("tasks/t" + i + "/0-yolov5"));
            Files.writeString(entry.resolve("stream.log"), "y".repeat(i == 5 ? 1000 : 600));
            kept.keep("t" + i, tmp.resolve("tasks/t" + i));
            Thread.sleep(20); // distinct modification times
        }
        List<String> names = folders(tmp.resolve("deleted")).stream()
                .map(p -> p.getFileName().toString())
                .sorted()
                .toList();
        // t3 + t4 + t5 = 2200 bytes in 3 folders; t2 would make 2800
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.get(0).startsWith("t3-") && names.get(2).startsWith("t5-"), names.toString());
    }

    @Test
    void hostileOrLongIdsStayOneFolderInsideAndFitAFileName(@TempDir Path tmp) {
        DeletedLogs kept = new DeletedLogs(tmp.resolve("deleted"));
        Instant now = Instant.parse("2026-12-01T10:15:02.123Z");
        for (String id : List.of("../../etc", "a/b", "..", "\u0000x", "\uD840\uDC00".repeat(63), "监控-1".repeat(40))) {
            Path folder = kept.folderFor(id, now);
            assertEquals(kept.dir(), folder.getParent(), id);
            String name = folder.getFileName().toString();
            assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, name);
            assertTrue(name.endsWith("-20261201T101502.123Z"), name);
            assertTrue(!name.contains("/") && !name.startsWith("."), name);
        }
    }

    private static List<Path> folders(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
