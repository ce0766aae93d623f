package sophon.bridge.server.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** {@code streamRoot}: a (fake) sophon-stream root, or null for the bundled cpu-stream engine. */
    static ServerProcess start(Path home, Path dataDir, Path streamRoot, int port, Path log) throws Exception {
        return start(home, dataDir, streamRoot, port, log, List.of());
    }

    /**
     * The server in a process group (and session) of its own, as in a terminal where it is the
     * foreground job: {@link #interruptGroup()} then works like Ctrl-C.
     */
    static ServerProcess start(Path home, Path dataDir, Path streamRoot, int port, Path log, List<String> extraArgs)
            throws Exception {
        return start(home, dataDir, streamRoot, port, log, extraArgs, null);
    }

    /** {@code env}: the server's whole environment besides PATH (as {@code env -i} would give), or null to inherit ours. */
    static ServerProcess start(Path home, Path dataDir, Path streamRoot, int port, Path log, Map<String, String> env)
            throws Exception {
        return start(home, dataDir, streamRoot, port, log, List.of(), env);
    }

    static ServerProcess start(
            Path home,
            Path dataDir,
            Path streamRoot,
            int port,
            Path log,
            List<String> extraArgs,
            Map<String, String> env)
            throws Exception {
        return start(home, dataDir, streamRoot, port, log, List.of(), extraArgs, env);
    }

    /** With extra JVM options, e.g. {@code -Dlogback.configurationFile=logback.xml} for the shipped logging. */
    static ServerProcess startWithJvmOptions(
            Path home, Path dataDir, Path streamRoot, int port, Path log, List<String> jvmOptions) throws Exception {
        return start(home, dataDir, streamRoot, port, log, jvmOptions, List.of(), null);
    }

    static ServerProcess start(
            Path home,
            Path dataDir,
            Path streamRoot,
            int port,
            Path log,
            List<String> jvmOptions,
            List<String> extraArgs,
            Map<String, String> env)
            throws Exception {
        Process p = launch(home, dataDir, streamRoot, port, log, jvmOptions, extraArgs, env);
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

    /** Starts the server JVM (under setsid) without waiting for it. */
    static Process launch(Path home, Path dataDir, Path streamRoot, int port, Path log, List<String> extraArgs)
            throws IOException {
        return launch(home, dataDir, streamRoot, port, log, List.of(), extraArgs, null);
    }

    static Process launch(
            Path home,
            Path dataDir,
            Path streamRoot,
            int port,
            Path log,
            List<String> jvmOptions,
            List<String> extraArgs,
            Map<String, String> env)
            throws IOException {
        // env --default-signal=INT: a job started in the background by a non-interactive shell (as a
        // CI runner may start Maven) inherits SIGINT ignored, and a JVM keeps an ignored SIGINT
        // ignored; a terminal's server has it at its default.
        List<String> cmd = new ArrayList<>(List.of(
                "env",
                "--default-signal=INT",
                "setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "-Dsophon.bridge.home=" + home,
                "sophon.bridge.server.Main",
                "--port=" + port,
                "--data-dir=" + dataDir,
                "--restart-backoff-ms=200",
                "--stop-grace-ms=3000",
                "--max-tasks=64")); // the box-derived default depends on the test machine
        if (streamRoot != null) { // else the bundled cpu-stream engine
            cmd.add("--stream-path=" + streamRoot);
        }
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (env != null) {
            String path = System.getenv("PATH");
            pb.environment().clear();
            pb.environment().put("PATH", path);
            pb.environment().putAll(env);
        }
        return pb.start();
    }

    /** Ctrl-C in the server's terminal: SIGINT to its whole foreground process group. */
    int interruptGroup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid())
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT -" + process.pid() + " failed");
        }
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop within 60 s of SIGINT");
        }
        return process.exitValue();
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
