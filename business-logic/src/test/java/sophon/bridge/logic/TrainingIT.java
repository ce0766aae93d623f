package sophon.bridge.logic;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-archive training run of the packaged jar ({@code --training=true}), as the server
 * runs it: it exits by itself, offers its alarm to the report target, and the archive it leaves
 * holds the frame and alarm path, so a process started from it parses (almost) no class of its
 * own while frames and alarms flow.
 */
class TrainingIT {
    private static final Path MODULE = Path.of(System.getProperty("sophon.bridge.home"), "business-logic");
    private static final String PATH = "/alarms";
    // When the training only started and answered /health, a task's process parsed ~600 classes
    // of its own under frames (~450 from the jars and the JDK's modules); now a handful: classes
    // CDS does not archive (JFR events) and some only an error path loads. A task with alert
    // rules the training's task has not (areas, dwell) parses those few classes too.
    private static final int MAX_PARSED_FROM_JARS_AND_MODULES = 40;

    @TempDir
    Path dir;

    private WireMockServer receiver;

    @BeforeEach
    void setUp() {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
    }

    @AfterEach
    void tearDown() {
        receiver.stop();
    }

    @Test
    void trainingExitsByItselfAndItsArchiveHoldsTheFrameAndAlarmPath() throws Exception {
        Path task = Fixtures.writeTask(
                dir, Fixtures.task("train", Fixtures.everyFrame(), List.of(receiver.baseUrl() + PATH)));
        Path archive = dir.resolve("business-logic.jsa");

        Path training = Files.createDirectories(dir.resolve("training"));
        Process p = start(training, task, List.of("-XX:ArchiveClassesAtExit=" + archive), "--training=true");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the training run exits by itself");
        String log = Files.readString(training.resolve("process.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("training: " + Training.FRAMES + " frames and one alarm"), log);
        assertTrue(Files.size(archive) > 1_000_000, "the archive was written as the JVM exited");
        assertTrue(receiver.findAll(postRequestedFor(urlEqualTo(PATH))).size() >= 1, "alarms were offered");
        receiver.resetRequests();

        // A task's process from the archive (-Xshare:on: it must map), taking frames and alarms.
        Path work = Files.createDirectories(dir.resolve("task"));
        Path classLog = work.resolve("class-load.log");
        int port = Fixtures.freePort();
        Process task1 = start(
                work,
                task,
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:class+load:file=" + classLog),
                "--port=" + port);
        try {
            Fixtures.await("health", 30_000, () -> healthy(port));
            for (int i = 1; i <= 50; i++) {
                assertEquals(
                        200,
                        Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i))
                                .statusCode());
            }
            Fixtures.await(
                    "alarms delivered",
                    30_000,
                    () -> receiver.findAll(postRequestedFor(urlEqualTo(PATH))).size() >= 3);
        } finally {
            task1.destroy();
            task1.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
        List<String> parsed = new ArrayList<>();
        for (String line : loaded) {
            if (line.contains(" source: jrt:/") || line.contains(" source: file:") || line.contains(" source: jar:")) {
                parsed.add(line.substring(line.indexOf(']', line.indexOf("class,load")) + 2));
            }
        }
        long shared = loaded.stream()
                .filter(l -> l.contains("source: shared objects file"))
                .count();
        assertTrue(shared > 2000, "classes came from the archives: " + shared);
        // The alarms' crops of a baseline JPEG are cut without a decode, and the warm-up's scene is a
        // stored file: AWT's native libraries and ImageIO's registry stay out (5.7 MB PSS in a bare JVM).
        for (String unused : List.of("java.awt.Toolkit", "javax.imageio.ImageIO")) {
            assertTrue(loaded.stream().noneMatch(l -> l.contains("] " + unused + " source:")), unused + " was loaded");
        }
        assertTrue(
                parsed.size() <= MAX_PARSED_FROM_JARS_AND_MODULES,
                parsed.size() + " classes parsed from jars and modules:\n" + String.join("\n", parsed));
    }

    private Process start(Path work, Path task, List<String> jvm, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.addAll(jvm);
        command.add("-jar");
        command.add(MODULE.resolve("target/business-logic.jar").toString());
        command.add("--host=127.0.0.1");
        command.add("--task=" + task);
        command.add("--work-dir=" + work);
        command.addAll(List.of(args));
        if (command.stream().noneMatch(a -> a.startsWith("--port="))) {
            command.add("--port=" + Fixtures.freePort());
        }
        return new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("process.log").toFile())
                .start();
    }

    /** The flags the server gives every business-logic process: the archive must fit them. */
    private static List<String> jvmOptions() throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(MODULE.resolve("jvm.options"), StandardCharsets.UTF_8)) {
            String flag = line.replaceAll("#.*", "").trim();
            if (!flag.isEmpty()) {
                flags.add(flag);
            }
        }
        return flags;
    }

    private static boolean healthy(int port) {
        try {
            return Fixtures.get(port, "/health").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
