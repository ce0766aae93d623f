package sophon.bridge.cpustream.source;

import org.bytedeco.opencv.opencv_core.Mat;

/** One pass over an input. Not thread-safe: used by its channel's thread only. */
public interface FrameSource extends AutoCloseable {
    void open() throws SourceException;

    /** The next BGR image, owned by the source and valid until the next call; null at the end. */
    Mat next() throws SourceException;

    /**
     * Moves past one frame without producing its image (it is decoded, not colour-converted);
     * false at the end. Used for frames that sample_interval drops.
     */
    boolean skip() throws SourceException;

    /** Frames per second the input declares, or 0 when unknown. */
    double nativeFps();

    /** Called from another thread when the channel is stopping: a source that waits for input should stop waiting. */
    default void wakeUp() {}

    @Override
    void close();
}
