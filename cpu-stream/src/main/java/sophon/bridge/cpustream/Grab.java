package sophon.bridge.cpustream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import sophon.bridge.cpustream.config.SourceType;
import sophon.bridge.cpustream.push.JpegEncoder;
import sophon.bridge.cpustream.source.FfmpegSource;
import sophon.bridge.cpustream.source.SourceException;
import sophon.bridge.cpustream.task.Masking;

/**
 * One-shot mode for the server's snapshot of a quiet camera: {@code Grab --out=<file>} reads the
 * source address as the first line of stdin (not an argument: a camera's credentials would show in
 * every process listing), opens it with the same FFmpeg decoder as a channel, and writes its first
 * frame as a JPEG to the file. The server runs it as a child with a timeout and kills it past that.
 * Exit codes: 0 written, 1 bad command line, 2 the source gave no frame (why on stderr, masked).
 */
public final class Grab {
    static final int QUALITY = 85;

    private Grab() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 1 || !args[0].startsWith("--out=") || args[0].length() == "--out=".length()) {
            System.err.println("usage: Grab --out=<file.jpg>, with the source address on stdin");
            return 1;
        }
        Path out = Path.of(args[0].substring("--out=".length()));
        String address;
        try {
            address = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            System.err.println("cannot read the address from stdin: " + e.getMessage());
            return 1;
        }
        if (address == null || address.isBlank()) {
            System.err.println("no source address on stdin");
            return 1;
        }
        address = address.trim();
        try (FfmpegSource source = new FfmpegSource(address, typeOf(address), 1)) {
            source.open();
            Mat bgr = source.next();
            if (bgr == null) {
                System.err.println("source " + Masking.mask(address) + " ended before its first frame");
                return 2;
            }
            Files.write(out, new JpegEncoder(QUALITY).base64(bgr).decode());
            return 0;
        } catch (SourceException | IOException | RuntimeException e) {
            System.err.println(Masking.mask(String.valueOf(e.getMessage())));
            return 2;
        }
    }

    /** As a channel would open it: network protocols by scheme, V4L2 devices, anything else a file. */
    static SourceType typeOf(String address) {
        String a = address.toLowerCase(java.util.Locale.ROOT);
        if (a.startsWith("rtsp://")) {
            return SourceType.RTSP;
        }
        if (a.startsWith("rtmp://")) {
            return SourceType.RTMP;
        }
        if (a.startsWith("http://") || a.startsWith("https://")) {
            return SourceType.HTTP;
        }
        return a.startsWith("/dev/") ? SourceType.CAMERA : SourceType.VIDEO;
    }
}
