package sophon.bridge.server;

import java.util.Map;

/**
 * Where the server's own log goes: stdout and {@code <data-dir>/logs/server.log}, or stdout only
 * when stdout is the systemd journal ({@code JOURNAL_STREAM}, set by systemd for
 * {@code StandardOutput=journal}); a second copy in a file would only double the disk use and
 * rotate away what the journal keeps anyway. Read by {@code logback.xml}, so it must be chosen
 * before the first logger exists.
 */
final class LogTarget {
    /** The file {@code logback.xml}'s FILE appender writes: unset for {@code <data-dir>/logs/server.log}. */
    static final String PROPERTY = "sophon.bridge.logfile";

    static final String DISCARD = "/dev/null";

    private LogTarget() {}

    static void choose(Map<String, String> env) {
        String journal = env.get("JOURNAL_STREAM");
        if (journal != null && !journal.isBlank()) {
            System.setProperty(PROPERTY, DISCARD);
        } else {
            System.clearProperty(PROPERTY);
        }
    }
}
