package sophon.bridge.cpustream.push;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.util.Base64;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import sophon.bridge.frame.Base64Image;

/** BGR image to base64 JPEG, the form of mSpData. */
public final class JpegEncoder {
    private final int quality;

    public JpegEncoder(int quality) {
        this.quality = quality;
    }

    /** The JPEG's base64 text, never a String: it goes into the post's bytes as it is. */
    public Base64Image base64(Mat bgr) {
        try (BytePointer buf = new BytePointer();
                IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", bgr, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            byte[] text = Base64.getEncoder().encode(bytes);
            return new Base64Image(text, 0, text.length);
        }
    }
}
