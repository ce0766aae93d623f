package sophon.bridge.server.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.store.StoredEntry;
import sophon.bridge.server.store.TaskStore;

/**
 * Another program takes an entry's port while its child is down (between a crash and the restart):
 * the entry moves to a free port and runs on, instead of restarting on the taken port forever.
 * The server as a child JVM with the bundled cpu-stream engine on vtest.avi, real business logic;
 * the "other program" is a plain ServerSocket this test holds on the port.
 */
class PortMoveEndToEndTest {
    static final Path HOME = AppHome.find();
    static final String ID = "move-1";
    static final Duration RUNNING = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    ServerProcess server;
    final List<ServerSocket> foreign = new ArrayList<>();

    @AfterEach
    void cleanup() throws Exception {
        for (ServerSocket s : foreign) {
            s.close();
        }
        if (server != null && server.process.isAlive()) {
            server.terminate();
        }
    }

    @Test
    void aPortTakenWhileTheChildIsDownMovesTheEntryAndTheMoveIsKept() throws Exception {
        WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        try {
            Path data = Files.createDirectories(tmp.resolve("data")).toRealPath();
            Path dir = data.resolve("tasks/" + ID + "/0-tripwire");
            Path console = tmp.resolve("console.log");
            Path log = data.resolve("logs/server.log"); // the shipped logging: task= and entry= fields
            int apiPort = ServerProcess.freePort();
            // 1 s before a restart (the default): time for the "other program" to bind the port first
            List<String> args = List.of("--restart-backoff-ms=1000");
            server = start(data, apiPort, console, args);
            assertEquals(
                    0,
                    server.api
                            .post("/task/create", CpuStreamEndToEndTest.tripwireOnVtest(ID, receiver.port()))
                            .code());
            JsonNode first = awaitFlowing(-1, -1);

            // A crash with nobody on the port: back on the same port (no move without a reason).
            Children.kill9(first.path("BusinessLogicPid").asLong());
            JsonNode same = awaitFlowing(first.path("BusinessLogicPid").asLong(), -1);
            assertEquals(
                    first.path("BusinessLogicPort").asInt(),
                    same.path("BusinessLogicPort").asInt());
            assertEquals(
                    first.path("StreamPid").asLong(), same.path("StreamPid").asLong(), "stream untouched");

            // A crash, and another program binds the business-logic port before the restart.
            int blPort = same.path("BusinessLogicPort").asInt();
            long blPid = same.path("BusinessLogicPid").asLong();
            Children.kill9(blPid);
            foreign.add(bindAsSoonAsFree(blPort));
            JsonNode moved = awaitFlowing(blPid, same.path("StreamPid").asLong());
            int newBlPort = moved.path("BusinessLogicPort").asInt();
            assertNotEquals(blPort, newBlPort);
            assertEquals(
                    same.path("StreamListenPort").asInt(),
                    moved.path("StreamListenPort").asInt());
            assertExactlyOneOfEach(dir);
            assertEquals(
                    "127.0.0.1:" + newBlPort + "/"
                            + moved.path("StreamListenPort").asInt(),
                    configTargets(dir),
                    "the stream's http_push posts to the new port");
            assertLogged(log, "business-logic port " + blPort + " is taken by another process; moved to " + newBlPort);

            // The same for the stream's http_listen port: only the stream moves.
            int streamPort = moved.path("StreamListenPort").asInt();
            long streamPid = moved.path("StreamPid").asLong();
            Children.kill9(streamPid);
            foreign.add(bindAsSoonAsFree(streamPort));
            JsonNode streamMoved = awaitFlowing(-1, streamPid);
            int newStreamPort = streamMoved.path("StreamListenPort").asInt();
            assertNotEquals(streamPort, newStreamPort);
            assertEquals(
                    moved.path("BusinessLogicPid").asLong(),
                    streamMoved.path("BusinessLogicPid").asLong());
            assertEquals(newBlPort, streamMoved.path("BusinessLogicPort").asInt());
            assertEquals("127.0.0.1:" + newBlPort + "/" + newStreamPort, configTargets(dir));
            assertExactlyOneOfEach(dir);
            assertLogged(
                    log,
                    "stream listen port " + streamPort + " is taken by another process; moved to " + newStreamPort);

            // Stored: a server restart keeps the new ports, even with the old ones free again.
            server.terminate(); // SIGTERM: children stopped, the task kept
            try (TaskStore store = new TaskStore(data.resolve("tasks.db"))) {
                StoredEntry stored = store.all().get(0).entries().get(0);
                assertEquals(newBlPort, stored.businessLogicPort());
                assertEquals(newStreamPort, stored.streamPort());
            }
            for (ServerSocket s : foreign) {
                s.close();
            }
            server = start(data, apiPort, console, args);
            JsonNode restarted = awaitFlowing(-1, -1);
            assertEquals(newBlPort, restarted.path("BusinessLogicPort").asInt());
            assertEquals(newStreamPort, restarted.path("StreamListenPort").asInt());
            assertExactlyOneOfEach(dir);

            assertEquals(0, server.api.delete(ID).code());
            assertTrue(Children.under(data.resolve("tasks")).isEmpty());
        } finally {
            receiver.stop();
        }
    }

    /** The server JVM with the bundled cpu-stream engine and the shipped logging config. */
    private static ServerProcess start(Path data, int apiPort, Path console, List<String> args) throws Exception {
        return ServerProcess.start(
                HOME, data, null, apiPort, console, List.of("-Dlogback.configurationFile=logback.xml"), args, null);
    }

    /**
     * Waits until the entry runs with a business logic other than {@code oldBlPid} and a stream
     * other than {@code oldStreamPid} (-1: any), and frames reach that business logic and keep
     * coming; returns the entry's view.
     */
    private JsonNode awaitFlowing(long oldBlPid, long oldStreamPid) throws Exception {
        Children.await("running with new children", RUNNING, () -> {
            JsonNode e = entry();
            return e != null
                    && e.path("State").asText().equals("running")
                    && e.path("BusinessLogicPid").asLong() != oldBlPid
                    && e.path("StreamPid").asLong() != oldStreamPid
                    && e.path("Counters").path("framesReceived").asLong() > 0;
        });
        long frames = entry().path("Counters").path("framesReceived").asLong();
        Children.await(
                "frames keep reaching business logic",
                RUNNING,
                () -> entry().path("Counters").path("framesReceived").asLong() > frames);
        return entry();
    }

    private JsonNode entry() {
        try {
            return server.api.query(ID).result().path("Algorithms").get(0);
        } catch (Exception e) {
            return null;
        }
    }

    /** The port the child just held frees when the kernel has closed its sockets; bind it first thing. */
    private static ServerSocket bindAsSoonAsFree(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return s;
            } catch (IOException stillHeld) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("port " + port + " not free 2 s after the kill", stillHeld);
                }
                Thread.sleep(2);
            }
        }
    }

    private static void assertExactlyOneOfEach(Path dir) {
        assertEquals(1, Children.businessLogic(dir).size(), "one business-logic process");
        assertEquals(1, Children.stream(dir).size(), "one stream process");
    }

    /**
     * Where the generated config set points: the http_push element (and http_report, checked equal
     * by {@link GraphFiles}) as ip:port, and http_listen's port after a slash.
     */
    private static String configTargets(Path dir) throws IOException {
        String demoConfig;
        try (var files = Files.list(dir.resolve("config"))) {
            demoConfig = "config/"
                    + files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith("_demo.json"))
                            .findFirst()
                            .orElseThrow();
        }
        JsonNode push = GraphFiles.httpPush(dir, demoConfig);
        JsonNode demo = ApiClient.JSON.readTree(dir.resolve(demoConfig).toFile());
        return push.path("ip").asText() + ":" + push.path("port").asInt() + "/"
                + demo.path("http_listen").path("port").asInt();
    }

    private static void assertLogged(Path log, String line) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        long n = lines.stream()
                .filter(l -> l.contains("task=" + ID + " entry=0") && l.contains(line))
                .count();
        assertEquals(
                1,
                n,
                "one log line with the TaskID: " + line + "; the log's lines about ports:\n"
                        + String.join(
                                "\n",
                                lines.stream().filter(l -> l.contains("port")).toList()));
    }
}
