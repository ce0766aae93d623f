package sophon.bridge.server.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import sophon.bridge.server.ApiClient;

/** The server as a separate JVM, so tests can kill -9 it like a power cut would. */
final class ServerProcess {
    final Process process;
    final ApiClient api;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.api = new ApiClient(port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ServerProcess start(Path home, Path dataDir, Path streamRoot, int port, Path log) throws Exception {
        return start(home, dataDir, streamRoot, port, log, List.of());
    }

    /** With extra JVM options, e.g. {@code -Dlogback.configurationFile=logback.xml} for the shipped logging. */
    static ServerProcess start(Path home, Path dataDir, Path streamRoot, int port, Path log, List<String> jvmOptions)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dsophon.bridge.home=" + home, "sophon.bridge.server.Main", "--port=" + port,
                "--data-dir=" + dataDir, "--stream-path=" + streamRoot, "--restart-backoff-ms=200", "--stop-grace-ms=3000"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServerProcess server = new ServerProcess(p, port);
        Children.await("server answers /health", Duration.ofSeconds(60), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("server exited with " + p.exitValue() + "; see " + log);
            }
            try {
                return server.api.get("/health").code() == 0;
            } catch (Exception notYet) {
                return false;
            }
        });
        return server;
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as systemd or Ctrl-C would send. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }
}
