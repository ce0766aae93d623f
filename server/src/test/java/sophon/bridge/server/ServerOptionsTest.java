package sophon.bridge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
    @Test
    void defaults() {
        ServerOptions o = ServerOptions.parse(new String[0], Map.of());
        assertNull(o.streamPath());
        assertEquals("127.0.0.1", o.host());
        assertEquals(8001, o.port());
        assertEquals(Path.of("./data"), o.dataDir());
        assertEquals(Duration.ofSeconds(1), o.policy().initialBackoff());
    }

    @Test
    void bothStreamPathSpellingsAndSeparateValues() {
        assertEquals(
                Path.of("/opt/ss"),
                ServerOptions.parse(new String[] {"--stream-path=/opt/ss"}, Map.of())
                        .streamPath());
        assertEquals(
                Path.of("/opt/ss"),
                ServerOptions.parse(new String[] {"--stream_path=/opt/ss"}, Map.of())
                        .streamPath());
        ServerOptions o =
                ServerOptions.parse(new String[] {"--port", "9001", "--host", "0.0.0.0", "--data-dir", "/x"}, Map.of());
        assertEquals(9001, o.port());
        assertEquals("0.0.0.0", o.host());
        assertEquals(Path.of("/x"), o.dataDir());
    }

    @Test
    void environmentIsOverriddenByCommandLine() {
        Map<String, String> env = Map.of(
                "SOPHON_BRIDGE_PORT",
                "8100",
                "SOPHON_BRIDGE_DATA_DIR",
                "/env/data",
                "SOPHON_BRIDGE_STREAM_PATH",
                "/env/ss",
                "SOPHON_BRIDGE_HOST",
                "10.0.0.1");
        ServerOptions fromEnv = ServerOptions.parse(new String[0], env);
        assertEquals(8100, fromEnv.port());
        assertEquals(Path.of("/env/data"), fromEnv.dataDir());
        assertEquals(Path.of("/env/ss"), fromEnv.streamPath());
        assertEquals("10.0.0.1", fromEnv.host());
        assertEquals(
                8200, ServerOptions.parse(new String[] {"--port=8200"}, env).port());
    }

    @Test
    void maxTasksFromTheCommandLineOrTheEnvironment() {
        assertEquals(
                5, ServerOptions.parse(new String[] {"--max-tasks=5"}, Map.of()).maxTasks());
        assertEquals(
                7,
                ServerOptions.parse(new String[] {"--max_tasks", "7"}, Map.of()).maxTasks());
        Map<String, String> env = Map.of("SOPHON_BRIDGE_MAX_TASKS", "12");
        assertEquals(12, ServerOptions.parse(new String[0], env).maxTasks());
        assertEquals(3, ServerOptions.parse(new String[] {"--max-tasks=3"}, env).maxTasks(), "the command line wins");
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerOptions.parse(new String[] {"--max-tasks=0"}, Map.of()))
                .getMessage()
                .contains("--max-tasks must be between 1 and 1000"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerOptions.parse(new String[0], Map.of("SOPHON_BRIDGE_MAX_TASKS", "many")))
                .getMessage()
                .contains("--max-tasks must be a number"));
    }

    @Test
    void uiTokenFromTheCommandLineOrTheEnvironmentAndNeverPrinted() {
        assertNull(ServerOptions.parse(new String[0], Map.of()).uiToken());
        Map<String, String> env = Map.of("SOPHON_BRIDGE_UI_TOKEN", "from-the-env");
        assertEquals("from-the-env", ServerOptions.parse(new String[0], env).uiToken());
        ServerOptions o = ServerOptions.parse(new String[] {"--ui-token=from-the-line"}, env);
        assertEquals("from-the-line", o.uiToken(), "the command line wins");
        assertFalse(o.toString().contains("from-the-line"), o.toString());
        assertNull(ServerOptions.parse(new String[0], Map.of("SOPHON_BRIDGE_UI_TOKEN", ""))
                .uiToken());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerOptions.parse(new String[] {"--ui-token=short"}, Map.of()))
                .getMessage()
                .contains("--ui-token must have at least 8 characters"));
    }

    @Test
    void maxTasksDefaultsToWhatMemoryAndCoresCarry() {
        long gb = 1024L * 1024 * 1024;
        assertEquals(14, ServerOptions.defaultMaxTasks(4 * gb, 8), "target box: (4096 - 512) / 256 MB");
        assertEquals(30, ServerOptions.defaultMaxTasks(8 * gb, 8), "(8192 - 512) / 256 = 30 < 4 x 8");
        assertEquals(32, ServerOptions.defaultMaxTasks(16 * gb, 8), "cores bound: 4 per core");
        assertEquals(8, ServerOptions.defaultMaxTasks(24 * gb, 2));
        assertEquals(1, ServerOptions.defaultMaxTasks(512L * 1024 * 1024, 8), "never below 1");
        assertEquals(1, ServerOptions.defaultMaxTasks(0, 0));
        assertEquals(1000, ServerOptions.defaultMaxTasks(1024 * gb, 512), "no more than there are ports");
        assertEquals(
                ServerOptions.defaultMaxTasks(
                        ServerOptions.totalMemoryBytes(), Runtime.getRuntime().availableProcessors()),
                ServerOptions.parse(new String[0], Map.of()).maxTasks(),
                "unset: this box's default");
        assertTrue(ServerOptions.totalMemoryBytes() > 0, "memory is known on Linux");
    }

    @Test
    void aStreamPathWithoutMainStopsTheServerAtStart(@org.junit.jupiter.api.io.TempDir Path tmp) {
        ServerOptions o = ServerOptions.parse(
                new String[] {
                    "--port=0", "--data-dir=" + tmp.resolve("data"), "--stream-path=" + tmp.resolve("no-sophon-stream")
                },
                Map.of());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BridgeServer.start(o, AppHome.find()));
        assertTrue(e.getMessage().contains("samples/build/main"), e.getMessage());
    }

    @Test
    void aTakenApiPortFailsTheStartAndReleasesEverything(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            ServerOptions o = ServerOptions.parse(
                    new String[] {"--port=" + taken.getLocalPort(), "--data-dir=" + tmp.resolve("data")}, Map.of());
            assertThrows(RuntimeException.class, () -> BridgeServer.start(o, AppHome.find()));
        }
        // The database was closed: a second server on the same folder starts normally.
        ServerOptions again =
                ServerOptions.parse(new String[] {"--port=0", "--data-dir=" + tmp.resolve("data")}, Map.of());
        try (BridgeServer server = BridgeServer.start(again, AppHome.find())) {
            assertTrue(server.port() > 0);
        }
    }

    @Test
    void badOptionsAreRefusedClearly() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerOptions.parse(new String[] {"--port=abc"}, Map.of()))
                .getMessage()
                .contains("--port"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerOptions.parse(new String[] {"--port=70000"}, Map.of()))
                .getMessage()
                .contains("65535"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerOptions.parse(new String[] {"--colour=red"}, Map.of()))
                .getMessage()
                .contains("unknown option"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> ServerOptions.parse(new String[] {"--port"}, Map.of()))
                .getMessage()
                .contains("needs a value"));
        assertTrue(ServerOptions.parse(new String[] {"--help"}, Map.of()).help());
    }
}
