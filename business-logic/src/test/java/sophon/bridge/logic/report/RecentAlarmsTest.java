package sophon.bridge.logic.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AnalyzeEvent;
import sophon.bridge.alarm.Corners;
import sophon.bridge.frame.Base64Image;

class RecentAlarmsTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheLast50WithTheirImagesAndRemovesTheOldest() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB), "jpg", jpeg);
        String base64 = Base64.getEncoder().encodeToString(jpeg.toByteArray());
        Alarm alarm = new Alarm(
                "t1",
                "cam",
                7,
                Base64Image.of(base64),
                List.of(new AnalyzeEvent(3, base64, new Corners(1, 2, 30, 20), Map.of("TrackId", 4))));
        RecentAlarms recent = new RecentAlarms(dir);
        for (int i = 1; i <= 53; i++) {
            recent.add(alarm, i, 1_700_000_000_000L + i);
        }
        assertEquals(50, count(".json"));
        assertEquals(50, count("-scene.jpg"));
        assertEquals(50, count("-crop0.jpg"));
        assertFalse(Files.exists(dir.resolve("1700000000003-3.json")));
        assertFalse(Files.exists(dir.resolve("1700000000003-3-scene.jpg")));
        JsonNode newest =
                new ObjectMapper().readTree(dir.resolve("1700000000053-53.json").toFile());
        assertEquals(7, newest.path("FrameIndex").asLong());
        assertEquals(3, newest.path("Events").get(0).path("Type").asInt());
        assertEquals(
                30, newest.path("Events").get(0).path("Box").path("RightBtmX").asInt());
        assertEquals(
                4, newest.path("Events").get(0).path("Extend").path("TrackId").asInt());
        assertArrayEquals(
                jpeg.toByteArray(),
                Files.readAllBytes(dir.resolve(newest.path("SceneImage").asText())));

        // A restarted process goes on from what is on disk: still 50, the oldest goes next, images
        // included, and what is not an alarm's (a temp file, a stray) stays.
        Files.write(dir.resolve(".1700000000055-55.json.tmp"), new byte[1]);
        Files.write(dir.resolve("notes.txt"), new byte[1]);
        new RecentAlarms(dir).add(alarm, 54, 1_700_000_000_054L);
        assertEquals(50, count(".json"));
        assertEquals(50, count("-scene.jpg"));
        assertEquals(50, count("-crop0.jpg"));
        assertFalse(Files.exists(dir.resolve("1700000000004-4.json")));
        assertFalse(Files.exists(dir.resolve("1700000000004-4-crop0.jpg")));
        assertTrue(Files.exists(dir.resolve("1700000000005-5.json")));
        assertTrue(Files.exists(dir.resolve("1700000000005-5-crop0.jpg")));
        assertTrue(Files.exists(dir.resolve("notes.txt")));
    }

    @Test
    void stemsAreThirteenDigitsOfTimeThenTheId() {
        assertEquals("0000000000007-3", RecentAlarms.stem(7, 3));
        assertEquals("1700000000054-54", RecentAlarms.stem(1_700_000_000_054L, 54));
    }

    private long count(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .count();
        }
    }
}
