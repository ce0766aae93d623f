package sophon.bridge.cpustream.source;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.util.Base64;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** BASE64: the url itself is one base64 image (a data: prefix is allowed); one frame per play. */
public final class Base64Source implements FrameSource {
    private final String payload;
    private Mat image;
    private boolean given;

    public Base64Source(String url) {
        int comma = url.startsWith("data:") ? url.indexOf(',') : -1;
        this.payload = comma >= 0 ? url.substring(comma + 1) : url;
    }

    @Override
    public void open() throws SourceException {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new SourceException("BASE64 source is not valid base64: " + e.getMessage());
        }
        try (BytePointer buf = new BytePointer(bytes);
                Mat raw = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, buf)) {
            image = imdecode(raw, IMREAD_COLOR);
        }
        if (image == null || image.empty()) {
            throw new SourceException("BASE64 source does not decode to an image");
        }
        given = false;
    }

    @Override
    public Mat next() {
        if (given) {
            return null;
        }
        given = true;
        return image;
    }

    @Override
    public boolean skip() {
        boolean had = !given;
        given = true;
        return had;
    }

    @Override
    public double nativeFps() {
        return 25;
    }

    @Override
    public void close() {
        if (image != null) {
            image.release();
        }
        image = null;
    }
}
