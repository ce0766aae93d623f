package sophon.bridge.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import javax.imageio.ImageIO;

/**
 * The test stream program behind a fake sophon-stream root's {@code samples/build/main}: it reads
 * the generated demo config relative to its working directory (as sophon-stream does), finds the
 * injected http_push element through the graph, and posts contract-shaped ObjectMetadata frames
 * with a real JPEG to it. {@code <root>/behaviour} says how many frames (0 = until SIGTERM), the
 * pause between them and the exit code, and {@code echo_source=true} makes it print and report its
 * source URL as sophon-stream would; every start is appended to {@code <root>/starts.log}.
 */
public final class TestStreamMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStreamMain() {}

    public static void main(String[] args) throws Exception {
        Path root = null;
        String demoArg = null;
        for (String a : args) {
            if (a.startsWith("--root=")) {
                root = Path.of(a.substring("--root=".length()));
            } else if (a.startsWith("--demo_config_path=")) {
                demoArg = a.substring("--demo_config_path=".length());
            }
        }
        if (root == null || demoArg == null) {
            System.out.println("usage: main --demo_config_path=<file>");
            System.exit(2);
        }
        Properties behaviour = new Properties();
        try (InputStream in = Files.newInputStream(root.resolve("behaviour"))) {
            behaviour.load(in);
        }
        int frames = Integer.parseInt(behaviour.getProperty("frames", "0"));
        long pauseMillis = Long.parseLong(behaviour.getProperty("pause_ms", "100"));
        int exitCode = Integer.parseInt(behaviour.getProperty("exit", "0"));
        Path cwd = Path.of("").toAbsolutePath();
        Files.writeString(
                root.resolve("starts.log"),
                ProcessHandle.current().pid() + " " + cwd + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        // sophon-stream stops cleanly on SIGTERM with exit code 0.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(0)));

        JsonNode demo = JSON.readTree(cwd.resolve(demoArg).toFile());
        JsonNode graphs = JSON.readTree(
                cwd.resolve(demo.path("engine_config_path").asText()).toFile());
        JsonNode push = null;
        for (JsonNode element : graphs.get(0).get("elements")) {
            JsonNode config = JSON.readTree(
                    cwd.resolve(element.get("element_config").asText()).toFile());
            if ("http_push".equals(config.path("name").asText())) {
                push = config.path("configure");
            }
        }
        if (push == null) {
            System.out.println("no http_push element in " + demoArg);
            System.exit(3);
        }
        URI target = URI.create("http://" + push.path("ip").asText() + ":"
                + push.path("port").asInt() + push.path("path").asText());
        if (Boolean.parseBoolean(behaviour.getProperty("echo_source", "false"))) {
            echoSource(demo);
        }
        System.out.println("test stream: posting to " + target + " ("
                + (frames == 0 ? "until SIGTERM" : frames + " frames") + ")");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // A decoder works whether or not http_push gets its frames through: ~4 % of a core, as the
        // supervisor's progress check sees a real stream's CPU time.
        Thread decoder = new Thread(
                () -> {
                    while (true) {
                        long until = System.nanoTime() + 2_000_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        try {
                            Thread.sleep(48);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "decoder");
        decoder.setDaemon(true);
        decoder.start();
        String jpeg = Base64.getEncoder().encodeToString(jpeg());
        for (int i = 0; frames == 0 || i < frames; i++) {
            byte[] body = JSON.writeValueAsBytes(frame(i, jpeg));
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(target)
                                .timeout(Duration.ofSeconds(5))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (i % 10 == 0) {
                    System.out.println("frame " + i + " -> " + r.statusCode());
                }
            } catch (IOException e) {
                // http_push drops frames when the receiver is away; so do we.
                System.out.println("frame " + i + " dropped: " + e);
            }
            Thread.sleep(pauseMillis);
        }
        System.out.println(exitCode == 0 ? "end of input" : "boom: failing with exit code " + exitCode);
        System.out.flush();
        Runtime.getRuntime().halt(exitCode);
    }

    /**
     * What sophon-stream does with its source URLs: prints them unmasked, and posts a failure that
     * quotes one to http_report — the server and business logic must mask both.
     */
    static void echoSource(JsonNode demo) throws IOException, InterruptedException {
        String url = demo.path("channels").path(0).path("url").asText();
        System.out.println("[decode] channel 0 opening " + url);
        JsonNode report = demo.path("http_report");
        URI errors = URI.create("http://" + report.path("ip").asText() + ":"
                + report.path("port").asInt() + report.path("path").asText());
        byte[] body = JSON.writeValueAsBytes(
                JSON.createObjectNode().put("error", "cannot open " + url).put("channel_id", 0));
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(errors)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
    }

    /** One frame as http_push posts it: a person (class 0) walking right, tracked as id 1. */
    static ObjectNode frame(int i, String jpeg) {
        ObjectNode f = JSON.createObjectNode();
        ObjectNode frame = f.putObject("mFrame");
        frame.put("mChannelId", 0);
        frame.put("mFrameId", i);
        frame.put("mTimestamp", System.currentTimeMillis() * 1000);
        frame.put("mWidth", 320);
        frame.put("mHeight", 240);
        frame.put("mEndOfStream", false);
        frame.put("mSpData", jpeg);
        ArrayNode detected = f.putArray("mDetectedObjectMetadatas");
        ObjectNode d = detected.addObject();
        ObjectNode box = d.putObject("mBox");
        box.put("mX", 10 + (i % 200));
        box.put("mY", 60);
        box.put("mWidth", 60);
        box.put("mHeight", 120);
        d.put("mClassify", 0);
        d.putArray("mScores").add(0.9);
        d.put("mLabelName", "person");
        f.putArray("mTrackedObjectMetadatas").addObject().put("mTrackId", 1);
        f.put("mFps", 25.0);
        f.put("mGraphId", 0);
        f.put("mSubId", 0);
        return f;
    }

    static byte[] jpeg() throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.ORANGE);
        g.fillRect(100, 60, 60, 120);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
