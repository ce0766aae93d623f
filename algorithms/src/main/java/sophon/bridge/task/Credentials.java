package sophon.bridge.task;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks camera credentials so that no log line or API answer carries a password. */
public final class Credentials {
    // scheme://user:password@host → scheme://user:***@host; also a bare user@ without password.
    private static final Pattern USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.\\-]*://)([^/@\\s:]*)(:[^/@\\s]*)?@");

    private Credentials() {
    }

    public static String mask(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        Matcher m = USERINFO.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String replacement = m.group(1) + m.group(2) + (m.group(3) == null ? "" : ":***") + "@";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
