package sophon.bridge.cpustream.source;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import sophon.bridge.cpustream.config.SourceType;
import sophon.bridge.cpustream.task.Masking;

/**
 * Files, RTSP (over TCP), RTMP, HTTP/HLS and V4L2 cameras through FFmpeg. Network reads carry
 * a socket timeout so a silent camera cannot block the channel thread forever.
 */
public final class FfmpegSource implements FrameSource {
    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    /** Socket read timeout for network sources (JavaCV may try to open twice, so an open can take 2x this). */
    private static final String IO_TIMEOUT_MICROS = Long.toString(1000 * Long.getLong("cpustream.io.timeout.ms", 5000));
    private final String url;
    private final SourceType type;
    private final int decodeThreads;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private FFmpegFrameGrabber grabber;

    public FfmpegSource(String url, SourceType type, int decodeThreads) {
        this.url = url;
        this.type = type;
        this.decodeThreads = decodeThreads;
    }

    @Override
    public void open() throws SourceException {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(url);
        switch (type) {
            case RTSP -> {
                g.setOption("rtsp_transport", "tcp");
                g.setOption("timeout", IO_TIMEOUT_MICROS);
            }
            case RTMP, HTTP, GB28181 -> g.setOption("rw_timeout", IO_TIMEOUT_MICROS);
            case CAMERA -> {
                if (url.startsWith("/dev/")) g.setFormat("video4linux2");
            }
            default -> { }
        }
        if (decodeThreads > 0) g.setVideoOption("threads", Integer.toString(decodeThreads));
        try {
            g.start();
        } catch (Exception e) {
            closeQuietly(g);
            throw new SourceException("cannot open " + type + " source " + Masking.mask(url) + ": " + describe(e), e);
        }
        if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new SourceException(type + " source " + Masking.mask(url) + " has no video stream");
        }
        grabber = g;
    }

    @Override
    public Mat next() throws SourceException {
        try {
            Frame f = grabber.grabImage();
            return f == null ? null : converter.convert(f);
        } catch (Exception e) {
            throw new SourceException("reading " + type + " source " + Masking.mask(url) + " failed: " + describe(e), e);
        }
    }

    @Override
    public boolean skip() throws SourceException {
        try {
            return grabber.grabFrame(false, true, false, false, false) != null;
        } catch (Exception e) {
            throw new SourceException("reading " + type + " source " + Masking.mask(url) + " failed: " + describe(e), e);
        }
    }

    @Override
    public double nativeFps() {
        return grabber == null ? 0 : grabber.getFrameRate();
    }

    @Override
    public void close() {
        if (grabber != null) closeQuietly(grabber);
        grabber = null;
    }

    /** JavaCV's message repeats the URL (with its password) and adds hints meant for developers. */
    private static String describe(Exception e) {
        String m = String.valueOf(e.getMessage());
        int hint = m.indexOf(" (Has setFormat");
        if (hint < 0) hint = m.indexOf(" (For more details");
        return sophon.bridge.task.Credentials.mask(hint > 0 ? m.substring(0, hint) : m);
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // already failing or shutting down; nothing more to free
        }
    }
}
