package sophon.bridge.alarm;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import sophon.bridge.frame.Box;

/**
 * JPEG crops around objects of a scene JPEG, made only for frames that alarm. A crop covers a
 * square of the object's larger side plus {@value #MARGIN} of it on each side, shifted to stay
 * inside the frame and cut only where the frame is smaller than the square.
 *
 * <p>A baseline JPEG (what cameras and the stream's encoders write) is cropped without decoding
 * it ({@link JpegCrop}): the crop is the source's own coefficients, so it loses nothing, and its
 * left and top edges move out to the JPEG's 8- or 16-pixel block grid. That costs 2.0-2.7 ms of
 * CPU per alarm on the recorded 1080p frame against 4.6-7.4 ms for the decode and re-encode below
 * ({@code CropBench}), which libjpeg spends decoding every row down to the crop, full width.
 * Other JPEGs (progressive ones, or what that reader finds damaged), and a square over the cap
 * below, which only a decode can scale down, take the decode: only the union of the squares.
 *
 * <p>A crop is at most {@value #MAX_CROP_SIDE} pixels a side: a larger square (a big object in a
 * 4K frame) is decoded with the JPEG reader's subsampling by the smallest whole factor that
 * brings it within the cap, so a 2160-pixel square of a 3840x2160 frame comes out 1080x1080 and
 * never needs its 14 MB at full size. One decode of the union of the squares serves all crops
 * when they need the same factor and the union, so scaled, fits the reused image; otherwise
 * (boxes far apart in a frame larger than 1080p, a small object next to a big one) each square
 * is decoded on its own: one more pass over the JPEG's rows, instead of a union region of up to
 * 25 MB per alarm. A scaled crop starts on the decode's pixel grid: off by less than one of its
 * own pixels.
 *
 * <p>Colour regions are decoded into a per-thread image that is reused while it is large enough
 * (up to {@value #REUSED_MAX_BYTES} bytes, a full 1080p frame): allocating the region per alarm
 * (up to 6 MB for a 1080p frame) was the largest source of garbage promoted into the old
 * generation, and so of full-GC pauses in the alarm path. With the cap above, every colour
 * region fits it, whatever the frame size. The image is RGB in memory order, the JPEG decoder's
 * own, so decoded rows are copied with arraycopy instead of pixel by pixel through a temporary row.
 */
final class SceneCrops {
    static final double MARGIN = 0.2;
    private static final float QUALITY = 0.85f;
    /** The largest crop side in pixels; larger squares are scaled down by subsampling. */
    static final int MAX_CROP_SIDE = 1080;

    static final int REUSED_MAX_BYTES = 1920 * 1080 * 3;
    private static final ImageTypeSpecifier RGB = ImageTypeSpecifier.createInterleaved(
            ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {0, 1, 2}, DataBuffer.TYPE_BYTE, false, false);
    private static final ThreadLocal<BufferedImage> REGION = new ThreadLocal<>();

    static {
        ImageIO.setUseCache(false); // crops are small; a temp file per write would be the slow part
    }

    private SceneCrops() {}

    record Result(int width, int height, List<byte[]> crops) {}

    /** The square crop rectangle for a box within a width×height frame. */
    static Rectangle square(Box box, int width, int height) {
        int side = (int) Math.round(box.size() * (1 + 2 * MARGIN));
        int w = Math.max(1, Math.min(side, width));
        int h = Math.max(1, Math.min(side, height));
        int x = (int) Math.round(box.centerX() - w / 2.0);
        int y = (int) Math.round(box.centerY() - h / 2.0);
        x = Math.max(0, Math.min(x, width - w));
        y = Math.max(0, Math.min(y, height - h));
        return new Rectangle(x, y, w, h);
    }

    static Result crop(byte[] jpeg, List<Box> boxes) throws AlarmImageException {
        if (jpeg.length < 3 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new AlarmImageException("mSpData is not a JPEG image");
        }
        Optional<Result> lossless = lossless(jpeg, boxes);
        return lossless.isPresent() ? lossless.get() : decoded(jpeg, boxes);
    }

    /**
     * The crops cut out of the JPEG's coefficients; empty where that does not apply: a JPEG
     * {@link JpegCrop} does not handle or finds damaged (ImageIO, which tolerates some damage,
     * then tries), a square over {@link #MAX_CROP_SIDE}.
     */
    private static Optional<Result> lossless(byte[] jpeg, List<Box> boxes) {
        try {
            Optional<JpegCrop> parsed = JpegCrop.parse(jpeg);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            JpegCrop source = parsed.get();
            List<Rectangle> squares = new ArrayList<>(boxes.size());
            for (Box b : boxes) {
                Box inside = b.clampTo(source.width(), source.height());
                Rectangle r = inside == null ? null : square(inside, source.width(), source.height());
                if (r != null && subsampling(r) > 1) {
                    return Optional.empty();
                }
                squares.add(r);
            }
            return Optional.of(new Result(source.width(), source.height(), source.crop(squares)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The crops decoded from the union of their squares and encoded again (CropBench times it too). */
    static Result decoded(byte[] jpeg, List<Box> boxes) throws AlarmImageException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ByteArrayImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            List<Rectangle> squares = new ArrayList<>(boxes.size());
            Rectangle union = null;
            for (Box b : boxes) {
                Box inside = b.clampTo(width, height);
                Rectangle r = inside == null ? null : square(inside, width, height);
                squares.add(r);
                if (r != null) {
                    union = union == null ? new Rectangle(r) : union.union(r);
                }
            }
            List<byte[]> crops = new ArrayList<>(boxes.size());
            if (union == null) {
                boxes.forEach(b -> crops.add(null));
                return new Result(width, height, crops);
            }
            int step = commonSubsampling(squares, union);
            if (step > 0) {
                // With a destination, the region lands in its top-left corner.
                BufferedImage region = decode(reader, union, step);
                int decodedWidth = scaled(union.width, step);
                int decodedHeight = scaled(union.height, step);
                for (Rectangle r : squares) {
                    if (r == null) {
                        crops.add(null);
                        continue;
                    }
                    // the reused image may be larger than what was decoded: never past the decoded part
                    int x = (r.x - union.x) / step;
                    int y = (r.y - union.y) / step;
                    crops.add(encode(
                            region,
                            x,
                            y,
                            Math.min(scaled(r.width, step), decodedWidth - x),
                            Math.min(scaled(r.height, step), decodedHeight - y)));
                }
            } else {
                for (Rectangle r : squares) {
                    if (r == null) {
                        crops.add(null);
                        continue;
                    }
                    int own = subsampling(r);
                    BufferedImage region = decode(reader, r, own);
                    crops.add(encode(region, 0, 0, scaled(r.width, own), scaled(r.height, own)));
                }
            }
            return new Result(width, height, crops);
        } catch (IOException | RuntimeException e) {
            throw new AlarmImageException("mSpData is not a decodable JPEG: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * The subsampling of one decode that serves every crop, or 0 when each square needs its own:
     * every square needs the same factor and the union, so scaled, fits the reused image. Two
     * large objects of a 4K frame then cost one decode at half size, not two; an object whose
     * square is within the cap is never scaled down for the sake of a larger one.
     */
    private static int commonSubsampling(List<Rectangle> squares, Rectangle union) {
        int step = 0;
        for (Rectangle r : squares) {
            if (r != null) {
                int own = subsampling(r);
                if (step != 0 && own != step) {
                    return 0;
                }
                step = own;
            }
        }
        long bytes = (long) scaled(union.width, step) * scaled(union.height, step) * 3;
        return bytes <= REUSED_MAX_BYTES ? step : 0;
    }

    /** The smallest whole factor that brings the rectangle's longer side within {@link #MAX_CROP_SIDE}. */
    static int subsampling(Rectangle r) {
        int side = Math.max(r.width, r.height);
        return (side + MAX_CROP_SIDE - 1) / MAX_CROP_SIDE;
    }

    /** Pixels a side of length keeps under the JPEG reader's subsampling by step (from offset 0). */
    static int scaled(int length, int step) {
        return (length + step - 1) / step;
    }

    /** Decodes rectangle r, every step-th pixel each way, into the top-left corner of the result. */
    private static BufferedImage decode(ImageReader reader, Rectangle r, int step) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(r);
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        if (reader.getRawImageType(0).getNumBands() == 3) {
            BufferedImage destination = destination(scaled(r.width, step), scaled(r.height, step));
            if (destination != null) {
                param.setDestination(destination);
            }
        }
        return reader.read(0, param);
    }

    /** Bytes of this thread's reused image (0 before its first colour decode). */
    static long regionBytesOfThisThread() {
        BufferedImage image = REGION.get();
        return image == null ? 0 : (long) image.getWidth() * image.getHeight() * 3;
    }

    /**
     * This thread's RGB image, grown to hold width×height; null when that is over the reuse
     * limit (the reader then allocates the region for this alarm only).
     */
    private static BufferedImage destination(int width, int height) {
        if ((long) width * height * 3 > REUSED_MAX_BYTES) {
            return null;
        }
        BufferedImage image = REGION.get();
        if (image == null || image.getWidth() < width || image.getHeight() < height) {
            int w = Math.max(width, image == null ? 0 : image.getWidth());
            int h = Math.max(height, image == null ? 0 : image.getHeight());
            if ((long) w * h * 3 > REUSED_MAX_BYTES) { // both sides grown: keep the new shape only
                w = width;
                h = height;
            }
            image = RGB.createBufferedImage(w, h);
            REGION.set(image);
        }
        return image;
    }

    private static byte[] encode(BufferedImage region, int x, int y, int w, int h) throws IOException {
        Rectangle part = new Rectangle(x, y, Math.min(w, region.getWidth() - x), Math.min(h, region.getHeight() - y));
        BufferedImage source = region;
        Rectangle sourceRegion = part;
        if (region.getRaster().getNumBands() != 3 && region.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            // an image the JPEG writer cannot take as is: draw the part as BGR first
            source = new BufferedImage(part.width, part.height, BufferedImage.TYPE_3BYTE_BGR);
            source.getGraphics().drawImage(region.getSubimage(part.x, part.y, part.width, part.height), 0, 0, null);
            sourceRegion = null;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(w * h / 4 + 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            if (sourceRegion != null) {
                // the writer reads the crop straight out of the decoded region: no copy of it
                param.setSourceRegion(sourceRegion);
            }
            writer.write(null, new IIOImage(source, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
