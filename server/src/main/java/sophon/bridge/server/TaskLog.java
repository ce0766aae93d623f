package sophon.bridge.server;

import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The TaskID (and algorithm entry) of a log line as MDC fields {@code task} and {@code entry},
 * which logback.xml prints as {@code task=<id> entry=<n>} after the level: a field that a log
 * shipper can parse, not words inside the message. Each call restores what the thread had, so
 * pool threads (watchdog, workers) never carry one task's id into another's lines.
 */
public record TaskLog(Logger log, String taskId, String entry) {
    public static final String TASK = "task";
    public static final String ENTRY = "entry";

    /** Lines of one algorithm entry. */
    public static TaskLog of(Logger log, String taskId, int entry) {
        return new TaskLog(log, taskId, Integer.toString(entry));
    }

    /** Lines of one task (no entry field). */
    public static TaskLog of(Logger log, String taskId) {
        return new TaskLog(log, taskId, null);
    }

    public void info(String format, Object... args) {
        try (Scope s = scope()) {
            log.info(format, args);
        }
    }

    public void warn(String format, Object... args) {
        try (Scope s = scope()) {
            log.warn(format, args);
        }
    }

    public void error(String format, Object... args) {
        try (Scope s = scope()) {
            log.error(format, args);
        }
    }

    private Scope scope() {
        Scope previous = new Scope(MDC.get(TASK), MDC.get(ENTRY));
        put(TASK, taskId);
        put(ENTRY, entry);
        return previous;
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** What the thread's MDC held before; closing puts it back. */
    private record Scope(String task, String entry) implements AutoCloseable {
        @Override
        public void close() {
            put(TASK, task);
            put(ENTRY, entry);
        }
    }
}
