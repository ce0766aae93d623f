package sophon.bridge.alarm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.frame.Box;

/**
 * JPEG crops around objects of a scene JPEG, made only for frames that alarm. A crop covers a
 * square of the object's larger side plus {@value #MARGIN} of it on each side, shifted to stay
 * inside the frame and cut only where the frame is smaller than the square, and is at most
 * {@value #MAX_CROP_SIDE} pixels a side.
 *
 * <p>A baseline JPEG (what cameras and the stream's encoders write) is cropped without decoding
 * it ({@link JpegCrop}): the crop is the source's own coefficients, so it loses nothing, and its
 * left and top edges move out to the JPEG's 8- or 16-pixel block grid. That costs 2.0-2.7 ms of
 * CPU per alarm on the recorded 1080p frame against 4.6-7.4 ms for a decode and re-encode
 * ({@code CropBench}), which libjpeg spends decoding every row down to the crop, full width. Other
 * JPEGs (progressive ones, or what that reader finds damaged), and squares over the cap, which
 * only a decode can scale down, are decoded ({@link DecodedCrops}).
 *
 * <p>This class touches neither AWT nor ImageIO, so that a process whose alarms all take the
 * lossless path never loads their native libraries and class registries (+5.7 MB PSS in a bare
 * JVM: java.awt.Rectangle alone loads libawt).
 */
final class SceneCrops {
    private static final Logger LOG = LoggerFactory.getLogger(SceneCrops.class);
    static final double MARGIN = 0.2;
    /** The largest crop side in pixels; larger squares are scaled down by subsampling. */
    static final int MAX_CROP_SIDE = 1080;

    private SceneCrops() {}

    record Result(int width, int height, List<byte[]> crops) {}

    /** The square crop rectangle for a box within a width×height frame. */
    static Box square(Box box, int width, int height) {
        int side = (int) Math.round(box.size() * (1 + 2 * MARGIN));
        int w = Math.max(1, Math.min(side, width));
        int h = Math.max(1, Math.min(side, height));
        int x = (int) Math.round(box.centerX() - w / 2.0);
        int y = (int) Math.round(box.centerY() - h / 2.0);
        x = Math.max(0, Math.min(x, width - w));
        y = Math.max(0, Math.min(y, height - h));
        return new Box(x, y, w, h);
    }

    static Result crop(byte[] jpeg, List<Box> boxes) throws AlarmImageException {
        if (jpeg.length < 3 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new AlarmImageException("mSpData is not a JPEG image");
        }
        Optional<Result> lossless = lossless(jpeg, boxes);
        return lossless.isPresent() ? lossless.get() : DecodedCrops.crop(jpeg, boxes);
    }

    /**
     * The crops cut out of the JPEG's coefficients; empty where that does not apply: a JPEG
     * {@link JpegCrop} does not handle or finds damaged (ImageIO, which tolerates some damage,
     * then tries), a square over {@link #MAX_CROP_SIDE}. A runtime failure of the cutter on some
     * odd JPEG it did not foresee also leaves the alarm to the decoder rather than losing it.
     */
    private static Optional<Result> lossless(byte[] jpeg, List<Box> boxes) {
        try {
            Optional<JpegCrop> parsed = JpegCrop.parse(jpeg);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            JpegCrop source = parsed.get();
            List<Box> squares = new ArrayList<>(boxes.size());
            for (Box b : boxes) {
                Box inside = b.clampTo(source.width(), source.height());
                Box r = inside == null ? null : square(inside, source.width(), source.height());
                if (r != null && subsampling(r) > 1) {
                    return Optional.empty();
                }
                squares.add(r);
            }
            return Optional.of(new Result(source.width(), source.height(), source.crop(squares)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("the lossless crop failed on a JPEG of {} bytes; decoding it instead", jpeg.length, e);
            return Optional.empty();
        }
    }

    /** The smallest whole factor that brings the square's longer side within {@link #MAX_CROP_SIDE}. */
    static int subsampling(Box r) {
        int side = r.size();
        return (side + MAX_CROP_SIDE - 1) / MAX_CROP_SIDE;
    }

    /** Pixels a side of length keeps under the JPEG reader's subsampling by step (from offset 0). */
    static int scaled(int length, int step) {
        return (length + step - 1) / step;
    }
}
