package sophon.bridge.cpustream.frame;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;
import sophon.bridge.frame.FaceObjectMetadata;

/**
 * One decoded frame travelling through a channel's graph. Elements run on the channel's own
 * thread and replace the result lists (never mutate them); a sink that keeps the frame beyond
 * its call retains the image and releases it when done, so the native buffer is freed
 * deterministically instead of waiting for the GC.
 */
public final class Frame {
    private final int channelId;
    private final long frameId;
    private final long timestampMicros;
    private final int width;
    private final int height;
    private final boolean endOfStream;
    private final boolean skipped;
    private final double fps;
    private final int graphId;
    private final Image image;
    private List<Detection> detections = List.of();
    private List<Integer> trackIds = List.of();
    private List<FaceObjectMetadata> faces = List.of();

    public Frame(
            int channelId,
            long frameId,
            long timestampMicros,
            int width,
            int height,
            boolean endOfStream,
            boolean skipped,
            double fps,
            int graphId,
            Mat image) {
        this(
                channelId,
                frameId,
                timestampMicros,
                width,
                height,
                endOfStream,
                skipped,
                fps,
                graphId,
                image == null ? null : new Image(image));
    }

    private Frame(
            int channelId,
            long frameId,
            long timestampMicros,
            int width,
            int height,
            boolean endOfStream,
            boolean skipped,
            double fps,
            int graphId,
            Image image) {
        this.channelId = channelId;
        this.frameId = frameId;
        this.timestampMicros = timestampMicros;
        this.width = width;
        this.height = height;
        this.endOfStream = endOfStream;
        this.skipped = skipped;
        this.fps = fps;
        this.graphId = graphId;
        this.image = image;
    }

    public static Frame endOfStream(int channelId, long frameId, int graphId) {
        return new Frame(
                channelId, frameId, System.currentTimeMillis() * 1000, 0, 0, true, false, 0, graphId, (Image) null);
    }

    /** A copy for a second branch of the graph: same image (shared, counted), own result lists. */
    public Frame branch() {
        if (image != null) {
            image.retain();
        }
        Frame f = new Frame(
                channelId, frameId, timestampMicros, width, height, endOfStream, skipped, fps, graphId, image);
        f.detections = detections;
        f.trackIds = trackIds;
        f.faces = faces;
        return f;
    }

    public int channelId() {
        return channelId;
    }

    public long frameId() {
        return frameId;
    }

    public long timestampMicros() {
        return timestampMicros;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean endOfStream() {
        return endOfStream;
    }
    /** True for frames passed on by sample_strategy KEEP: detectors leave them alone. */
    public boolean skipped() {
        return skipped;
    }

    public double fps() {
        return fps;
    }

    public int graphId() {
        return graphId;
    }

    public Mat mat() {
        return image == null ? null : image.mat;
    }

    public List<Detection> detections() {
        return detections;
    }

    public List<Integer> trackIds() {
        return trackIds;
    }

    public List<FaceObjectMetadata> faces() {
        return faces;
    }

    public void setDetections(List<Detection> d) {
        detections = List.copyOf(d);
    }

    public void setTrackIds(List<Integer> t) {
        trackIds = List.copyOf(t);
    }

    public void setFaces(List<FaceObjectMetadata> f) {
        faces = List.copyOf(f);
    }

    /** Keep the image alive beyond the current call (e.g. in a send queue). */
    public void retain() {
        if (image != null) {
            image.retain();
        }
    }

    /** Give up one hold on the image; the last one frees the native buffer. */
    public void release() {
        if (image != null) {
            image.release();
        }
    }

    private static final class Image {
        final Mat mat;
        final AtomicInteger holds = new AtomicInteger(1);

        Image(Mat mat) {
            this.mat = mat;
        }

        void retain() {
            holds.incrementAndGet();
        }

        void release() {
            if (holds.decrementAndGet() == 0) {
                mat.release();
            }
        }
    }
}
