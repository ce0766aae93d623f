package sophon.bridge.server.task;

import java.util.Map;

/**
 * What this JVM can name on disk and on a child's command line. Java fixes that encoding
 * ({@code sun.jnu.encoding}) from the locale when it starts: under {@code LANG=C} it is ASCII,
 * and a CJK TaskID can be neither a folder nor a {@code --task=} argument. Under any charset but
 * UTF-8 a non-ASCII name would also be a different byte sequence from the one a UTF-8 start
 * wrote, so only ASCII counts as nameable then.
 */
public final class FileNameCharset {
    private static final String NAME = System.getProperty("sun.jnu.encoding", "");
    private static final boolean UTF8 = isUtf8(NAME);

    private FileNameCharset() {}

    public static String name() {
        return NAME;
    }

    public static boolean utf8() {
        return UTF8;
    }

    public static boolean isUtf8(String charset) {
        String c = charset.replace("-", "").replace("_", "");
        return c.equalsIgnoreCase("UTF8");
    }

    public static boolean canName(String text) {
        return UTF8 || text.chars().allMatch(c -> c < 0x80);
    }

    /** The one-sentence reason a TaskID cannot be used here, naming the fix. */
    public static String refusal(String taskId) {
        return "TaskID " + taskId + " cannot be a folder name while the server runs with file names in " + NAME
                + "; start it under a UTF-8 locale (LC_ALL=C.UTF-8, as start.sh does).";
    }

    /**
     * The locale children get, so business logic and cpu-stream decode CJK paths and arguments
     * as UTF-8 whatever their own defaults would be: the server's own locale when it is UTF-8
     * (after a relaunch, the one it chose); nothing otherwise, since a name the box does not
     * have would make a child fall back to ASCII.
     */
    public static Map<String, String> childLocale(Map<String, String> serverEnv) {
        if (!UTF8) {
            return Map.of();
        }
        for (String variable : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String value = serverEnv.get(variable);
            if (value != null && !value.isEmpty()) {
                return Map.of("LC_ALL", value);
            }
        }
        return Map.of();
    }
}
