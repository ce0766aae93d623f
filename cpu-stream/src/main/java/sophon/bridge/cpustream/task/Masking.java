package sophon.bridge.cpustream.task;

import sophon.bridge.task.Credentials;

/** What a source URL looks like in a log or a report: credentials masked, base64 payloads shortened. */
public final class Masking {
    private Masking() {}

    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        if (url.length() > 256 && !url.contains("://")) {
            return url.substring(0, 24) + "...(" + url.length() + " chars)";
        }
        return Credentials.mask(url);
    }
}
