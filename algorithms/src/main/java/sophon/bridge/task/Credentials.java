package sophon.bridge.task;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in free text so that no log line, API answer or stored error carries a
 * password: {@code rtsp://admin:P@ss@cam/} becomes {@code rtsp://admin:***@cam/}, and the
 * scheme-less {@code admin:12345@192.168.1.10:554/h264} becomes {@code admin:***@192.168.1.10:554/h264}.
 *
 * <p>Cameras' URLs are not always escaped, so the password runs from the first {@code :} of the
 * userinfo to the <em>last</em> {@code @} before the authority ends: at whitespace, {@code / ? # < >},
 * a {@code "} that is not JSON-escaped, or a JSON-escaped slash {@code \/}. When the authority
 * holds no {@code @} but what follows its {@code :} is not a port (not all digits) and an {@code @}
 * follows later in the same word, the password is taken to hold an unescaped {@code / ? #} or
 * quote and is masked up to that {@code @}. Covered too: %-escapes, upper-case schemes, several
 * URLs in one text, URLs in quotes, JSON-escaped text ({@code rtsp:\/\/u:p@cam}, {@code \"} in a
 * password). Not covered: a password with whitespace; one whose part before an unescaped
 * {@code / ? #} is all digits ({@code rtsp://u:123/4@cam} reads as host {@code u}, port {@code 123},
 * as FFmpeg reads it too); one with an {@code @} <em>and</em>, after it, an unescaped {@code /}
 * ({@code rtsp://u:a@b/c@cam} reads as host {@code b}). The user name is kept. Text of the form
 * {@code word:other@host} is masked even when it is no credential ({@code mailto:a@b.c} shows as
 * {@code mailto:***@b.c}): a hidden word costs less than a leaked password.
 */
public final class Credentials {
    public static final String MASK = "***";

    // Where a password may start: right after "scheme://user:" (or the JSON-escaped "scheme:\/\/user:"),
    // or after "user:" at the start of a word that has no scheme. Both start only where a run of
    // their characters starts, so a long run (a hex or base64 blob) costs one pass, not one per character.
    private static final Pattern USER = Pattern.compile(
            "(?<scheme>(?<![A-Za-z0-9+.\\-])[A-Za-z][A-Za-z0-9+.\\-]*:(?://|\\\\/\\\\/)[^\\s\"<>:/\\\\?#]*:)"
                    + "|(?<bare>(?<![^\\s\"'<>:\\\\@?#])[^\\s\"'<>:/\\\\@?#]+:)");
    private static final Pattern SCHEME_AHEAD = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:(?://|\\\\/\\\\/)");

    private Credentials() {}

    public static String mask(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        Matcher m = USER.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int passwordStart = m.end();
            // a refused candidate may hide a URL inside its user part ("c1,rtsp://u:p@c2")
            from = m.start() + 1;
            if (m.group("bare") != null
                    && SCHEME_AHEAD
                            .matcher(text)
                            .region(passwordStart, text.length())
                            .lookingAt()) {
                continue; // "Source:rtsp://..." — the URL gets its own match
            }
            int at = passwordEnd(text, passwordStart);
            if (at < 0) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, passwordStart).append(MASK);
            copied = at;
            from = at + 1;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** The index of the {@code @} that ends the password starting at {@code from}, or -1 when there is none. */
    private static int passwordEnd(String text, int from) {
        int end = authorityEnd(text, from);
        int at = lastAt(text, from, end);
        if (at >= 0) {
            return at;
        }
        if (allDigits(text, from, end)) {
            return -1; // host:port, or nothing after the ':'
        }
        int next = nextAtInWord(text, end);
        return next < 0 ? -1 : lastAt(text, next, authorityEnd(text, next + 1));
    }

    private static int authorityEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)
                    || c == '/'
                    || c == '?'
                    || c == '#'
                    || c == '<'
                    || c == '>'
                    || (c == '"' && !escaped(text, i))
                    || (c == '\\' && text.startsWith("/", i + 1))) {
                return i;
            }
        }
        return text.length();
    }

    /** Whether the character at {@code i} is JSON-escaped: preceded by an odd number of backslashes. */
    private static boolean escaped(String text, int i) {
        int n = 0;
        while (i - n - 1 >= 0 && text.charAt(i - n - 1) == '\\') {
            n++;
        }
        return n % 2 == 1;
    }

    private static int lastAt(String text, int from, int end) {
        int at = text.lastIndexOf('@', end - 1);
        return at >= from ? at : -1;
    }

    private static boolean allDigits(String text, int from, int end) {
        for (int i = from; i < end; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The next {@code @} before the word ends (whitespace, {@code < >}, or a quote that is not JSON-escaped). */
    private static int nextAtInWord(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '@') {
                return i;
            }
            if (Character.isWhitespace(c) || c == '<' || c == '>' || (c == '"' && !escaped(text, i))) {
                return -1;
            }
        }
        return -1;
    }
}
