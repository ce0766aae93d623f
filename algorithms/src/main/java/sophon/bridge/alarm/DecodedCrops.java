package sophon.bridge.alarm;

import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * Crops decoded with ImageIO and encoded again: for the JPEGs {@link JpegCrop} does not handle
 * (progressive ones, or what it finds damaged) and for squares over {@link
 * SceneCrops#MAX_CROP_SIDE}. Only the union of the crop squares is decoded.
 *
 * <p>A larger square than the cap (a big object in a 4K frame) is decoded with the JPEG reader's
 * subsampling by the smallest whole factor that brings it within the cap, so a 2160-pixel square
 * of a 3840x2160 frame comes out 1080x1080 and never needs its 14 MB at full size. One decode of
 * the union of the squares serves all crops when they need the same factor and the union, so
 * scaled, fits the reused image; otherwise (boxes far apart in a frame larger than 1080p, a small
 * object next to a big one) each square is decoded on its own: one more pass over the JPEG's rows,
 * instead of a union region of up to 25 MB per alarm. A scaled crop starts on the decode's pixel
 * grid: off by less than one of its own pixels.
 *
 * <p>Colour regions are decoded into a per-thread image that is reused while it is large enough
 * (up to {@value #REUSED_MAX_BYTES} bytes, a full 1080p frame): allocating the region per alarm
 * (up to 6 MB for a 1080p frame) was the largest source of garbage promoted into the old
 * generation, and so of full-GC pauses in the alarm path. With the cap above, every colour
 * region fits it, whatever the frame size. The image is RGB in memory order, the JPEG decoder's
 * own, so decoded rows are copied with arraycopy instead of pixel by pixel through a temporary row.
 */
final class DecodedCrops {
    private static final float QUALITY = 0.85f;
    static final int REUSED_MAX_BYTES = 1920 * 1080 * 3;
    private static final ImageTypeSpecifier RGB = ImageTypeSpecifier.createInterleaved(
            ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {0, 1, 2}, DataBuffer.TYPE_BYTE, false, false);
    private static final ThreadLocal<BufferedImage> REGION = new ThreadLocal<>();

    static {
        ImageIO.setUseCache(false); // crops are small; a temp file per write would be the slow part
    }

    private DecodedCrops() {}

    /** The crops decoded from the union of their squares and encoded again. */
    static SceneCrops.Result crop(byte[] jpeg, List<Box> boxes) throws AlarmImageException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ByteArrayImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            List<Box> squares = new ArrayList<>(boxes.size());
            Box union = null;
            for (Box b : boxes) {
                Box inside = b.clampTo(width, height);
                Box r = inside == null ? null : SceneCrops.square(inside, width, height);
                squares.add(r);
                if (r != null) {
                    union = union == null ? r : union(union, r);
                }
            }
            List<byte[]> crops = new ArrayList<>(boxes.size());
            if (union == null) {
                boxes.forEach(b -> crops.add(null));
                return new SceneCrops.Result(width, height, crops);
            }
            int step = commonSubsampling(squares, union);
            if (step > 0) {
                // With a destination, the region lands in its top-left corner.
                BufferedImage region = decode(reader, union, step);
                int decodedWidth = SceneCrops.scaled(union.width(), step);
                int decodedHeight = SceneCrops.scaled(union.height(), step);
                for (Box r : squares) {
                    if (r == null) {
                        crops.add(null);
                        continue;
                    }
                    // the reused image may be larger than what was decoded: never past the decoded part
                    int x = (r.x() - union.x()) / step;
                    int y = (r.y() - union.y()) / step;
                    crops.add(encode(
                            region,
                            x,
                            y,
                            Math.min(SceneCrops.scaled(r.width(), step), decodedWidth - x),
                            Math.min(SceneCrops.scaled(r.height(), step), decodedHeight - y)));
                }
            } else {
                for (Box r : squares) {
                    if (r == null) {
                        crops.add(null);
                        continue;
                    }
                    int own = SceneCrops.subsampling(r);
                    BufferedImage region = decode(reader, r, own);
                    crops.add(encode(
                            region, 0, 0, SceneCrops.scaled(r.width(), own), SceneCrops.scaled(r.height(), own)));
                }
            }
            return new SceneCrops.Result(width, height, crops);
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
    private static int commonSubsampling(List<Box> squares, Box union) {
        int step = 0;
        for (Box r : squares) {
            if (r != null) {
                int own = SceneCrops.subsampling(r);
                if (step != 0 && own != step) {
                    return 0;
                }
                step = own;
            }
        }
        long bytes = (long) SceneCrops.scaled(union.width(), step) * SceneCrops.scaled(union.height(), step) * 3;
        return bytes <= REUSED_MAX_BYTES ? step : 0;
    }

    /** The smallest box holding both. */
    private static Box union(Box a, Box b) {
        int x = Math.min(a.x(), b.x());
        int y = Math.min(a.y(), b.y());
        return new Box(x, y, Math.max(a.right(), b.right()) - x, Math.max(a.bottom(), b.bottom()) - y);
    }

    /** Decodes rectangle r, every step-th pixel each way, into the top-left corner of the result. */
    private static BufferedImage decode(ImageReader reader, Box r, int step) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(r.x(), r.y(), r.width(), r.height()));
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        if (reader.getRawImageType(0).getNumBands() == 3) {
            BufferedImage destination =
                    destination(SceneCrops.scaled(r.width(), step), SceneCrops.scaled(r.height(), step));
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
