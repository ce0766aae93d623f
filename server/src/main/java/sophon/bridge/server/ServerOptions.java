package sophon.bridge.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import sophon.bridge.server.supervise.SupervisionPolicy;

/**
 * The server's options: {@code --stream-path} (also {@code --stream_path}), {@code --host},
 * {@code --port}, {@code --data-dir}, each also from an environment variable; the command line
 * wins. Tuning knobs for the watchdog exist for tests and operators, documented in {@code --help}.
 */
public record ServerOptions(Path streamPath, String host, int port, Path dataDir, SupervisionPolicy policy,
                            boolean help) {

    public static final String USAGE = """
            Usage: start.sh [options]   (or: java -jar server/target/server.jar [options])

              --stream-path=<dir>   root of a built sophon-stream (samples/build/main, build/lib);
                                    also --stream_path. Env SOPHON_BRIDGE_STREAM_PATH.
                                    Without it the bundled cpu-stream engine runs the pipelines.
              --host=<addr>         address the task API binds to (default 127.0.0.1). Env SOPHON_BRIDGE_HOST.
              --port=<n>            task API port (default 8001). Env SOPHON_BRIDGE_PORT.
              --data-dir=<dir>      tasks, database and logs (default ./data). Env SOPHON_BRIDGE_DATA_DIR.
              --help                this text.

            Watchdog tuning (defaults suit production):
              --restart-backoff-ms=<n>  first restart delay, doubling up to 60 s (default 1000).
                                        Env SOPHON_BRIDGE_RESTART_BACKOFF_MS.
              --stop-grace-ms=<n>       SIGTERM-to-SIGKILL grace when stopping a child (default 5000).
                                        Env SOPHON_BRIDGE_STOP_GRACE_MS.
              --max-backoff-ms=<n>      longest restart delay; a live source that failed 5 times in a row
                                        is retried this often until deleted (default 60000).
                                        Env SOPHON_BRIDGE_MAX_BACKOFF_MS.
              --stable-seconds=<n>      a child that ran this long counts as recovered: its failure
                                        count restarts, a retrying entry is running again (default 60).
                                        Env SOPHON_BRIDGE_STABLE_SECONDS.
              --stall-seconds=<n>       a stream with no progress this long (no frame at business logic
                                        and under 1 % of a core of CPU) is hung: stopped and restarted
                                        (default 60). Env SOPHON_BRIDGE_STALL_SECONDS.
            """;

    /** Parses the command line over the environment; throws IllegalArgumentException with a plain message. */
    public static ServerOptions parse(String[] args, Map<String, String> env) {
        String streamPath = env.get("SOPHON_BRIDGE_STREAM_PATH");
        String host = env.getOrDefault("SOPHON_BRIDGE_HOST", "127.0.0.1");
        String port = env.getOrDefault("SOPHON_BRIDGE_PORT", "8001");
        String dataDir = env.getOrDefault("SOPHON_BRIDGE_DATA_DIR", "./data");
        String backoff = env.getOrDefault("SOPHON_BRIDGE_RESTART_BACKOFF_MS", "1000");
        String grace = env.getOrDefault("SOPHON_BRIDGE_STOP_GRACE_MS", "5000");
        String maxBackoff = env.getOrDefault("SOPHON_BRIDGE_MAX_BACKOFF_MS", "60000");
        String stable = env.getOrDefault("SOPHON_BRIDGE_STABLE_SECONDS", "60");
        String stall = env.getOrDefault("SOPHON_BRIDGE_STALL_SECONDS", "60");
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (see --help)");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            switch (name.replace('_', '-')) {
                case "stream-path" -> streamPath = value;
                case "host" -> host = value;
                case "port" -> port = value;
                case "data-dir" -> dataDir = value;
                case "restart-backoff-ms" -> backoff = value;
                case "stop-grace-ms" -> grace = value;
                case "max-backoff-ms" -> maxBackoff = value;
                case "stable-seconds" -> stable = value;
                case "stall-seconds" -> stall = value;
                default -> throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
        }
        int portNumber = number("--port", port, 0, 65535); // 0: any free port (tests, benchmarks)
        SupervisionPolicy policy = SupervisionPolicy.defaults()
                .withInitialBackoff(Duration.ofMillis(number("--restart-backoff-ms", backoff, 1, 60_000)))
                .withStopGrace(Duration.ofMillis(number("--stop-grace-ms", grace, 0, 600_000)))
                .withMaxBackoff(Duration.ofMillis(number("--max-backoff-ms", maxBackoff, 1, 3_600_000)))
                .withStableAfter(Duration.ofSeconds(number("--stable-seconds", stable, 1, 86_400)))
                .withStallTimeout(Duration.ofSeconds(number("--stall-seconds", stall, 1, 86_400)));
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        return new ServerOptions(streamPath == null || streamPath.isBlank() ? null : Path.of(streamPath), host,
                portNumber, Path.of(dataDir), policy, help);
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", not " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not '" + value + "'");
        }
    }
}
