package sophon.bridge.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import sophon.bridge.server.supervise.SupervisionPolicy;

/**
 * The server's options: {@code --stream-path} (also {@code --stream_path}), {@code --host},
 * {@code --port}, {@code --data-dir}, {@code --max-tasks}, each also from an environment variable;
 * the command line wins. Tuning knobs for the watchdog exist for tests and operators, documented in {@code --help}.
 */
public record ServerOptions(
        Path streamPath,
        String host,
        int port,
        Path dataDir,
        int maxTasks,
        SupervisionPolicy policy,
        long minFreeDiskMb,
        long outboxBudgetMb,
        String uiToken,
        boolean help) {
    /** {@code outboxBudgetMb} when none is given: derived from the data dir's free space at start ({@code OutboxBudget}). */
    public static final long FROM_FREE_SPACE = 0;

    public static final long DEFAULT_MIN_FREE_DISK_MB = 256;
    /** Ports per allocator ({@code BridgeServer}): more entries than that could not get a port anyway. */
    public static final int MAX_TASKS_CEILING = 1000;
    /** The OS and the server itself (server RSS ≈ 270 MB with 64 tasks). */
    static final long RESERVED_MB = 512;
    /** One entry: a business-logic JVM (≈ 70–90 MB idle, ≈ 150 MB under load) and a stream process (cpu-stream ≈ 160–180 MB). */
    static final long MB_PER_TASK = 256;
    /** cpu-stream decodes and detects on the CPU: one 10 fps channel took ≈ 0.26 of a core. */
    static final int TASKS_PER_CORE = 4;

    public static final String USAGE = """
            Usage: start.sh [options]   (or: java -jar server/target/server.jar [options])

              --stream-path=<dir>   root of a built sophon-stream (samples/build/main, build/lib);
                                    also --stream_path. Env SOPHON_BRIDGE_STREAM_PATH.
                                    Without it the bundled cpu-stream engine runs the pipelines.
              --host=<addr>         address the task API binds to (default 127.0.0.1). Env SOPHON_BRIDGE_HOST.
              --port=<n>            task API port (default 8001). Env SOPHON_BRIDGE_PORT.
              --data-dir=<dir>      tasks, database and logs (default ./data). Env SOPHON_BRIDGE_DATA_DIR.
              --max-tasks=<n>       how many algorithm entries may run at once (a task of k algorithms
                                    counts k; each is one business-logic JVM and one stream process).
                                    1 to 1000. Env SOPHON_BRIDGE_MAX_TASKS. Default from this box:
                                    max(1, min((memory MB - 512) / 256, 4 x cores)), e.g. 14 on
                                    4 GB and 8 cores. A create beyond it is refused (Code 1006).
              --min-free-disk-mb=<n>  /health answers 503 when the data dir's file system has less free
                                    (default 256). Env SOPHON_BRIDGE_MIN_FREE_DISK_MB.
              --outbox-budget-mb=<n>  disk for every business-logic outbox together (undelivered alarms);
                                    each algorithm entry gets budget / max-tasks. Default: half the data
                                    dir's free space at start, at most 2048 per entry.
                                    Env SOPHON_BRIDGE_OUTBOX_BUDGET_MB.
              --ui-token=<secret>   lets clients other than this box see the status page (GET /), snapshots,
                                    alarm images and /metrics: HTTP Basic with the secret as password
                                    (any user), or Authorization: Bearer. Loopback clients need none.
                                    Without it those answer 403 to other clients; 8 characters or more.
                                    Env SOPHON_BRIDGE_UI_TOKEN (better: a command line shows in ps).
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
        String maxTasks = env.get("SOPHON_BRIDGE_MAX_TASKS");
        String minFreeDisk =
                env.getOrDefault("SOPHON_BRIDGE_MIN_FREE_DISK_MB", Long.toString(DEFAULT_MIN_FREE_DISK_MB));
        String outboxBudget = env.get("SOPHON_BRIDGE_OUTBOX_BUDGET_MB");
        String uiToken = env.get("SOPHON_BRIDGE_UI_TOKEN");
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
                case "max-tasks" -> maxTasks = value;
                case "min-free-disk-mb" -> minFreeDisk = value;
                case "outbox-budget-mb" -> outboxBudget = value;
                case "ui-token" -> uiToken = value;
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
        if (uiToken != null && !uiToken.isEmpty() && uiToken.strip().length() < 8) {
            throw new IllegalArgumentException("--ui-token must have at least 8 characters");
        }
        int maxTaskCount = maxTasks == null
                ? defaultMaxTasks(totalMemoryBytes(), Runtime.getRuntime().availableProcessors())
                : number("--max-tasks", maxTasks, 1, MAX_TASKS_CEILING);
        return new ServerOptions(
                streamPath == null || streamPath.isBlank() ? null : Path.of(streamPath),
                host,
                portNumber,
                Path.of(dataDir),
                maxTaskCount,
                policy,
                number("--min-free-disk-mb", minFreeDisk, 0, 1 << 30),
                outboxBudget == null ? FROM_FREE_SPACE : number("--outbox-budget-mb", outboxBudget, 1, 1 << 30),
                uiToken == null || uiToken.isEmpty() ? null : uiToken,
                help);
    }

    /** As a record prints itself, but never the token: options may end up in a log line. */
    @Override
    public String toString() {
        return "ServerOptions[streamPath=" + streamPath + ", host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", maxTasks=" + maxTasks + ", policy=" + policy + ", minFreeDiskMb=" + minFreeDiskMb
                + ", outboxBudgetMb=" + outboxBudgetMb + ", uiToken=" + (uiToken == null ? "none" : "***") + ", help="
                + help + "]";
    }

    /**
     * The default {@code --max-tasks}: as many entries as fit in memory after {@link #RESERVED_MB},
     * at {@link #MB_PER_TASK} each, and no more than {@link #TASKS_PER_CORE} per core; at least 1.
     */
    public static int defaultMaxTasks(long memoryBytes, int cores) {
        long byMemory = (memoryBytes / (1024 * 1024) - RESERVED_MB) / MB_PER_TASK;
        long byCores = (long) TASKS_PER_CORE * Math.max(1, cores);
        return (int) Math.max(1, Math.min(MAX_TASKS_CEILING, Math.min(byMemory, byCores)));
    }

    /**
     * The memory this server may use: the JVM's view (the cgroup limit in a container, else the
     * physical memory), or /proc/meminfo's MemTotal on a JVM without the com.sun.management bean.
     */
    static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: the smallest default
        }
        return 0;
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new IllegalArgumentException(
                        option + " must be between " + min + " and " + max + ", not " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not '" + value + "'");
        }
    }
}
