package sophon.bridge.cpustream.detect;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import sophon.bridge.cpustream.frame.Detection;

/** Finds objects in a BGR image; boxes are in that image's pixels, scores in 0..1. */
public interface Detector extends AutoCloseable {
    List<Detection> detect(Mat bgr);

    @Override
    default void close() {}
}
