package sophon.bridge.logic;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4K source at the real process, started with the module's shipped jvm.options (-Xmx56m,
 * -XX:+ExitOnOutOfMemoryError): a burst of 3840x2160 frames, each with two objects most of the
 * frame high, from several channels at once. Before the alarm path was bounded by bytes, the
 * crop regions (~14-25 MB each, two builders at once) ended the process; now it survives, every
 * alarm is delivered with crops within the cap, and the counters account for every alarming frame.
 */
class FourKFramesTest {
    private static final int WIDTH = 3840;
    private static final int HEIGHT = 2160;
    private static final int CHANNELS = 3;
    private static final int FRAMES_PER_CHANNEL = 4;
    private static final int MAX_CROP_SIDE = 1080;

    @TempDir
    Path dir;

    private WireMockServer receiver;
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    /** A 4K scene with camera-like detail (noise over shapes), so its JPEG is the size a camera's is. */
    private static String scene4k() throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        Random random = new Random(4);
        for (int y = 0; y < HEIGHT; y += 16) {
            for (int x = 0; x < WIDTH; x += 16) {
                g.setColor(new Color((x / 15 + y / 30) % 256, (y / 9) % 256, 80 + random.nextInt(60)));
                g.fillRect(x, y, 16, 16);
            }
        }
        g.dispose();
        for (int i = 0; i < WIDTH * HEIGHT / 6; i++) {
            int x = random.nextInt(WIDTH);
            int y = random.nextInt(HEIGHT);
            img.setRGB(x, y, img.getRGB(x, y) ^ (random.nextInt(0x40) * 0x10101));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
        ImageIO.write(img, "jpeg", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** The JVM flags of business-logic/jvm.options, as the server starts the child. */
    private static List<String> shippedJvmOptions() throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("jvm.options"))) {
            String flag = line.strip();
            if (!flag.isEmpty() && !flag.startsWith("#")) {
                flags.add(flag);
            }
        }
        assertTrue(flags.contains("-Xmx56m") && flags.contains("-XX:+ExitOnOutOfMemoryError"), flags.toString());
        return flags;
    }

    private Process startChild(int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(shippedJvmOptions());
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "sophon.bridge.logic.Main",
                "--host=127.0.0.1",
                "--port=" + port,
                "--task=" + dir.resolve("task.json"),
                "--algorithm-index=0",
                "--work-dir=" + dir,
                // What is tested is that alarms wait for memory instead of being lost, delivered once.
                // On a loaded machine one 4K build took 1.6-2.9 s, past the default 2 s wait, and a
                // 5 s report timeout sent a batch twice.
                "--report-timeout-ms=60000",
                "--alarm-wait-ms=60000"));
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    private long counter(int port, String name) {
        try {
            return Fixtures.counters(port).get(name).asLong();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void aBurstOf4kFramesWithBigObjectsIsAlarmedWithinTheHeap() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        Fixtures.writeTask(
                dir,
                Fixtures.task(
                        "4004", Fixtures.everyFrame(), List.of("http://127.0.0.1:" + receiver.port() + "/api/upload")));
        String image = scene4k();
        assertTrue(
                image.length() > 1_000_000, "a 4K frame's JPEG is over 750 KB; this one's base64 is " + image.length());
        int port = Fixtures.freePort();
        child = startChild(port);
        Fixtures.await("start", 30_000, () -> counter(port, "framesReceived") == 0);

        // Two persons most of the frame high, at both ends: their crop squares are 2100-2160 px
        // and their union is the whole frame (25 MB decoded at full size).
        int[] left = {200, 100, 900, 1500, 1};
        int[] right = {2700, 300, 1000, 1600, 2};
        ExecutorService channels = Executors.newFixedThreadPool(CHANNELS);
        List<Future<List<Integer>>> answers = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            int channel = c;
            answers.add(channels.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int f = 0; f < FRAMES_PER_CHANNEL; f++) {
                    byte[] body = Fixtures.frame(channel, f, WIDTH, HEIGHT, image, left, right);
                    // a frame whose alarm waits for memory is answered only then
                    HttpResponse<String> r = Fixtures.post(port, "/frames", body, Duration.ofSeconds(90));
                    statuses.add(r.statusCode());
                }
                return statuses;
            }));
        }
        for (Future<List<Integer>> a : answers) {
            List<Integer> statuses;
            try {
                statuses = a.get();
            } catch (ExecutionException e) {
                Thread.sleep(500); // let a dying child finish its exit and its log
                throw new AssertionError(
                        "posting 4K frames failed (" + e.getCause() + "); business logic "
                                + (child.isAlive() ? "still runs" : "exited with " + child.exitValue()) + "; log:\n"
                                + log(),
                        e);
            }
            assertEquals(List.of(200, 200, 200, 200), statuses, () -> "every 4K frame taken; log:\n" + log());
        }
        channels.shutdown();

        int alarming = CHANNELS * FRAMES_PER_CHANNEL;
        Fixtures.await(
                "every alarming frame accounted for",
                90_000,
                () -> !child.isAlive()
                        || counter(port, "alarmsProduced")
                                        + counter(port, "alarmsDropped")
                                        + counter(port, "alarmsNotBuilt")
                                == alarming);
        assertTrue(child.isAlive(), () -> "business logic died (exit " + child.exitValue() + "); log:\n" + log());
        long produced = counter(port, "alarmsProduced");
        Fixtures.await(
                "produced alarms delivered",
                60_000,
                () -> counter(port, "alarmsDelivered") == counter(port, "alarmsProduced"));
        assertTrue(child.isAlive(), () -> "business logic died; log:\n" + log());
        JsonNode counters = Fixtures.counters(port);
        // Memory ran short on purpose here: the alarms waited for it rather than being lost.
        System.out.println("4K burst: scene image " + image.length() + " bytes of base64; counters " + counters);
        assertEquals(alarming, produced, () -> "every alarm built: " + counters + "\nlog:\n" + log());
        assertEquals(0, counters.get("alarmsDropped").asLong(), counters::toString);
        assertEquals(0, counters.get("alarmsNotBuilt").asLong(), counters::toString);
        assertTrue(counters.get("alarmsDeferred").asLong() > 0, () -> "a 4K burst waits for alarm memory: " + counters);
        assertEquals(alarming, counters.get("framesReceived").asLong());
        assertEquals(0, counters.get("framesRejected").asLong());

        int alarms = 0;
        for (ServeEvent e : receiver.getAllServeEvents()) {
            for (JsonNode alarm : Fixtures.JSON.readTree(e.getRequest().getBodyAsString())) {
                alarms++;
                assertEquals(image, alarm.get("SceneImageBase64").asText(), "scene image byte for byte");
                assertEquals(2, alarm.get("AnalyzeEvents").size());
                for (JsonNode event : alarm.get("AnalyzeEvents")) {
                    BufferedImage crop = ImageIO.read(new ByteArrayInputStream(
                            Base64.getDecoder().decode(event.get("ImageBase64").asText())));
                    assertTrue(
                            crop.getWidth() <= MAX_CROP_SIDE && crop.getHeight() <= MAX_CROP_SIDE,
                            "crop scaled within the cap: " + crop.getWidth() + "x" + crop.getHeight());
                    assertTrue(crop.getWidth() >= MAX_CROP_SIDE / 2, "a big object's crop is not a thumbnail");
                }
            }
        }
        assertEquals(alarming, alarms, "each alarm delivered once");
        String log = log();
        assertFalse(log.contains("OutOfMemoryError"), log);
        assertTrue(log.contains("deferred"), "the wait is logged");
    }
}
