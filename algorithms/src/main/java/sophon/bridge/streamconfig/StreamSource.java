package sophon.bridge.streamconfig;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import sophon.bridge.task.Credentials;

/**
 * A task's source Address as a sophon-stream channel: its {@code url} and {@code source_type}
 * (and, for BASE64, the {@code base64_port} the decoder listens on).
 *
 * @param base64Port the port for BASE64 sources, 0 for every other type
 */
public record StreamSource(String url, String sourceType, int base64Port) {
    public static final int DEFAULT_BASE64_PORT = 12348;

    /**
     * Reads application-web's Address forms: rtsp://, rtmp://, gb28181:// and gb28181_playback://
     * URLs as they are; http(s):// (HLS, HTTP-FLV, a remote file) as VIDEO, which the decoder
     * opens through FFmpeg; an absolute file path (or file://) as VIDEO and an absolute folder
     * of images as IMG_DIR — both must exist; {@code base64://[host][:port][/path]} as BASE64
     * (the decoder serves {@code POST http://<box>:<port><path>}, default {@code :12348/base64}).
     *
     * @throws IllegalArgumentException with a one-sentence reason; the Address in it is masked
     */
    public static StreamSource of(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("The task has no source Address.");
        }
        String a = address.strip();
        String lower = a.toLowerCase(Locale.ROOT);
        // sophon-stream's decoder checks the lower-case scheme prefix itself (rtsp://, rtmp://)
        for (String[] scheme : new String[][] {
            {"rtsp://", "RTSP"}, {"rtmp://", "RTMP"}, {"gb28181://", "GB28181"}, {"gb28181_playback://", "GB28181"}
        }) {
            if (lower.startsWith(scheme[0])) {
                return new StreamSource(scheme[0] + a.substring(scheme[0].length()), scheme[1], 0);
            }
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            // sophon-stream has no HTTP type: VIDEO hands the URL to FFmpeg, which opens HLS/HTTP-FLV
            return new StreamSource(a, "VIDEO", 0);
        }
        if (lower.startsWith("base64://") || lower.equals("base64")) {
            return base64(a.length() > "base64://".length() ? a.substring("base64://".length()) : "");
        }
        if (lower.startsWith("file://")) {
            return file(a.substring("file://".length()), address);
        }
        if (a.startsWith("/")) {
            return file(a, address);
        }
        throw new IllegalArgumentException(
                "The source Address " + Credentials.mask(a)
                        + " is not supported; use an rtsp://, rtmp://, gb28181://, http(s):// or base64:// URL, or an absolute file or folder path.");
    }

    /** Files a web server holds: an http(s) URL ending in one of these ends; any other is taken as live. */
    private static final java.util.List<String> FILE_SUFFIXES = java.util.List.of(
            ".mp4", ".avi", ".mkv", ".mov", ".webm", ".wmv", ".mpg", ".mpeg", ".h264", ".h265", ".264", ".265");

    /**
     * Whether a source does not end by itself: a camera (rtsp://, rtmp://, gb28181://, /dev/video*),
     * pushed frames (base64://), or an http(s) stream (HLS, HTTP-FLV: any URL whose path does not end
     * in a video file suffix). Files, folders and gb28181_playback:// recordings end. The
     * supervisor retries a live source forever and takes its end as a failure.
     */
    public static boolean isLive(String address) {
        if (address == null) {
            return false;
        }
        String lower = address.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("gb28181_playback://")) {
            return false;
        }
        if (lower.startsWith("rtsp://")
                || lower.startsWith("rtmp://")
                || lower.startsWith("gb28181://")
                || lower.startsWith("base64")
                || lower.startsWith("/dev/video")) {
            return true;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            String path = lower;
            for (char end : new char[] {'?', '#'}) {
                int cut = path.indexOf(end);
                if (cut >= 0) {
                    path = path.substring(0, cut);
                }
            }
            for (String suffix : FILE_SUFFIXES) {
                if (path.endsWith(suffix)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static StreamSource file(String pathText, String address) {
        Path path;
        try {
            path = Path.of(pathText).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    "The source Address " + Credentials.mask(address) + " is not a valid file path.");
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(
                    "The source file path " + Credentials.mask(address) + " must be absolute.");
        }
        if (Files.isDirectory(path)) {
            return new StreamSource(path.toString(), "IMG_DIR", 0);
        }
        if (Files.isRegularFile(path)) {
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(
                        "The source file " + Credentials.mask(path.toString()) + " is not readable.");
            }
            return new StreamSource(path.toString(), "VIDEO", 0);
        }
        throw new IllegalArgumentException("The source file " + Credentials.mask(path.toString()) + " does not exist.");
    }

    private static StreamSource base64(String rest) {
        // [host][:port][/path]; the host is where the box listens, which the decoder decides itself.
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/base64" : rest.substring(slash);
        int port = DEFAULT_BASE64_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0) {
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("The base64 source Address has an invalid port.");
            }
        }
        if (path.length() <= 1 || !path.matches("/[A-Za-z0-9_\\-./]*")) {
            throw new IllegalArgumentException(
                    "The base64 source Address needs a plain path such as base64://:12348/base64.");
        }
        return new StreamSource(path, "BASE64", port);
    }
}
