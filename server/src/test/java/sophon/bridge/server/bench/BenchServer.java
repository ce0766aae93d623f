package sophon.bridge.server.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import sophon.bridge.server.ApiClient;

/** The server jar as a child JVM, started as start.sh does, for the benchmark. */
final class BenchServer {
    private final Process process;
    private final ApiClient api;

    private BenchServer(Process process, ApiClient api) {
        this.process = process;
        this.api = api;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static BenchServer start(Path home, Path data, Path root, int port, Path log) throws Exception {
        Path jar = home.resolve("server/target/server.jar");
        List<String> cmd = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The flags start.sh gives the server.
        cmd.addAll(sophon.bridge.server.task.JvmOptions.read(home.resolve("server/jvm.options"), List.of()));
        cmd.addAll(List.of(
                "-Dsophon.bridge.home=" + home,
                "-jar",
                jar.toString(),
                "--port=" + port,
                "--data-dir=" + data,
                "--stream-path=" + root,
                "--max-tasks=100",
                // The stand-in stream is an idle shell loop: no CPU, no frames, i.e. hung by the
                // watchdog's measure; the bench measures the server, not restarts of it.
                "--stall-seconds=86400"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ApiClient api = new ApiClient(port);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited; see " + log);
            }
            try {
                if (api.get("/health").code() == 0) {
                    return new BenchServer(p, api);
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("server did not start; see " + log);
    }

    ApiClient api() {
        return api;
    }

    long pid() {
        return process.pid();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void terminate() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
