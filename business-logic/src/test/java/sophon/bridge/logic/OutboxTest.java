package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.logic.outbox.Outbox;

class OutboxTest {
    @TempDir
    Path dir;

    private static byte[] body(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Outbox.Entry> entries) {
        return entries.stream().map(e -> new String(e.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void overTheCountBoundTheOldestAreDroppedAndCounted() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 5, Long.MAX_VALUE, dropped::addAndGet)) {
            for (int i = 0; i < 8; i++) {
                box.add(body(i), 0);
            }
            assertEquals(5, box.size());
            assertEquals(3, dropped.get());
            assertEquals(List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}", "{\"n\":7}"), texts(box.take(10, 1 << 20, 10)));
        }
    }

    @Test
    void overTheByteBoundTheOldestAreDropped() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        byte[] big = new byte[600];
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 100, 1500, dropped::addAndGet)) {
            for (int i = 0; i < 4; i++) {
                box.add(big, 0);
            }
            assertEquals(2, box.size());
            assertEquals(1200, box.bytes());
            assertEquals(2, dropped.get());
        }
    }

    @Test
    void undeliveredAlarmsSurviveAReopenInOrderAndDeliveredOnesDoNot() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> { })) {
            for (int i = 0; i < 4; i++) {
                box.add(body(i), 0);
            }
            List<Outbox.Entry> first = box.take(2, 1 << 20, 10);
            assertEquals(List.of("{\"n\":0}", "{\"n\":1}"), texts(first));
            box.delivered(first);
            List<Outbox.Entry> second = box.take(1, 1 << 20, 10);
            box.release(second);
        }
        try (Outbox box = new Outbox(file, 100, Long.MAX_VALUE, n -> { })) {
            assertEquals(2, box.size());
            assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), texts(box.take(10, 1 << 20, 10)));
        }
    }

    @Test
    void batchesRespectTheByteLimitButAlwaysTakeOne() throws Exception {
        try (Outbox box = new Outbox(dir.resolve("outbox.db"), 100, Long.MAX_VALUE, n -> { })) {
            box.add(new byte[1000], 0);
            box.add(new byte[1000], 0);
            assertEquals(1, box.take(10, 500, 10).size());
            assertEquals(1, box.take(10, 1500, 10).size());
            assertEquals(0, box.take(10, 1500, 10).size());
        }
    }
}
