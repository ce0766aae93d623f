package sophon.bridge.task;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A logback pattern layout whose every line, stack trace included, goes through
 * {@link Credentials#mask}: code masks the URLs it logs, but an exception's own text (OkHttp's,
 * Jackson's, FFmpeg's) can quote one, and a log must never carry a password.
 */
public final class MaskingPatternLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return Credentials.mask(super.doLayout(event));
    }
}
