package sophon.bridge.logic;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import sophon.bridge.logic.intake.AlarmBuilder;

/**
 * Command line of the business-logic process; every option but --port and --task has a default.
 * {@code --outbox-disk-bytes} (the server passes each entry its share of the box's outbox budget)
 * lowers {@code outboxMaxBytes} to what keeps the outbox's files within it ({@link #bodyBytesWithin}).
 * {@code --training=true} makes the process the server's class-archive training run ({@link Training}).
 * Parsing failures throw IllegalArgumentException with a message fit for stderr.
 */
public record Options(
        String host,
        int port,
        Path task,
        int algorithmIndex,
        Path workDir,
        long outboxMaxAlarms,
        long outboxMaxBytes,
        Path alarmDir,
        int maxBodyBytes,
        int httpThreads,
        int reportTimeoutMs,
        int batchMaxAlarms,
        int alarmWaitMs,
        boolean training) {

    public static final long DEFAULT_OUTBOX_MAX_ALARMS = 10_000;
    public static final long DEFAULT_OUTBOX_MAX_BYTES = 2L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

    private static final Set<String> KNOWN = Set.of(
            "host",
            "port",
            "task",
            "algorithm-index",
            "work-dir",
            "outbox-max-alarms",
            "outbox-max-bytes",
            "alarm-dir",
            "max-body-bytes",
            "http-threads",
            "report-timeout-ms",
            "batch-max-alarms",
            "outbox-disk-bytes",
            "alarm-wait-ms",
            "training");

    public static final String USAGE = "usage: business-logic --port=<N> --task=<task.json> [--host=127.0.0.1]"
            + " [--algorithm-index=0] [--work-dir=.] [--outbox-max-alarms=10000] [--outbox-max-bytes=2147483648]"
            + " [--outbox-disk-bytes=<share>]"
            + " [--alarm-dir=<folder>] [--max-body-bytes=16777216] [--http-threads=16]"
            + " [--report-timeout-ms=15000] [--batch-max-alarms=20] [--alarm-wait-ms=2000] [--training=false]";

    public static Options parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 3) {
                throw new IllegalArgumentException("bad argument '" + arg + "' (expected --name=value)");
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        if (!values.containsKey("port") || !values.containsKey("task")) {
            throw new IllegalArgumentException("--port and --task are required");
        }
        String alarmDir = values.getOrDefault("alarm-dir", "");
        return new Options(
                values.getOrDefault("host", "127.0.0.1"),
                (int) number(values, "port", 0, 1, 65535),
                Path.of(values.get("task")),
                (int) number(values, "algorithm-index", 0, 0, 1000),
                Path.of(values.getOrDefault("work-dir", ".")),
                number(values, "outbox-max-alarms", DEFAULT_OUTBOX_MAX_ALARMS, 1, Long.MAX_VALUE),
                Math.min(
                        number(values, "outbox-max-bytes", DEFAULT_OUTBOX_MAX_BYTES, 1024, Long.MAX_VALUE),
                        bodyBytesWithin(
                                number(values, "outbox-disk-bytes", Long.MAX_VALUE, 1024 * 1024, Long.MAX_VALUE))),
                alarmDir.isBlank() ? null : Path.of(alarmDir),
                (int) number(values, "max-body-bytes", DEFAULT_MAX_BODY_BYTES, 1024, 512L * 1024 * 1024),
                (int) number(values, "http-threads", 16, 1, 256),
                (int) number(values, "report-timeout-ms", 15_000, 100, 600_000),
                (int) number(values, "batch-max-alarms", 20, 1, 1000),
                (int) number(values, "alarm-wait-ms", AlarmBuilder.DEFAULT_SUBMIT_WAIT_MS, 0, 600_000),
                flag(values, "training"));
    }

    /**
     * Of a disk share, what bodies may take; SQLite's pages (≈ 5 % for alarms of 50 KB+), the WAL (up
     * to twice its limit while the checkpointer lags) and the shared-memory file take the rest. At
     * 66 % the files went 0.04 % over a 4 MB share on a loaded machine.
     */
    private static final int DISK_SHARE_FOR_BODIES_PERCENT = 55;

    /**
     * The bytes bound for bodies that keeps the outbox's files within {@code diskBytes}: the
     * database file never grows past its live pages (deleted ones are reused), and the WAL is
     * truncated to an eighth of the bound after each checkpoint ({@code Outbox}). Here rather than
     * in Outbox: loading Outbox makes its logger, and logback must not start before Main set the task.
     */
    public static long bodyBytesWithin(long diskBytes) {
        return diskBytes / 100 * DISK_SHARE_FOR_BODIES_PERCENT;
    }

    private static boolean flag(Map<String, String> values, String name) {
        String v = values.getOrDefault(name, "false").trim();
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
        }
        return v.equals("true");
    }

    private static long number(Map<String, String> values, String name, long def, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
