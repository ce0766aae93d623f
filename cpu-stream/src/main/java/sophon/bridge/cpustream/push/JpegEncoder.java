package sophon.bridge.cpustream.push;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.util.Base64;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** BGR image to base64 JPEG, the form of mSpData. */
public final class JpegEncoder {
    private final int quality;

    public JpegEncoder(int quality) {
        this.quality = quality;
    }

    public String base64(Mat bgr) {
        try (BytePointer buf = new BytePointer();
                IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", bgr, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
