package sophon.bridge.server.process;

import java.nio.charset.StandardCharsets;
import org.apache.commons.exec.LogOutputStream;
import sophon.bridge.task.Credentials;

/**
 * One output pipe of a child, line by line into its {@link BoundedLog} with camera credentials
 * masked: sophon-stream prints its channel URLs, and a log must never carry a password. One
 * instance per pipe (the line buffer is not shared); the log itself is synchronized.
 */
final class MaskingLines extends LogOutputStream {
    private final BoundedLog log;

    MaskingLines(BoundedLog log) {
        super(0, StandardCharsets.UTF_8);
        this.log = log;
    }

    @Override
    protected void processLine(String line, int level) {
        log.note(Credentials.mask(line));
    }
}
