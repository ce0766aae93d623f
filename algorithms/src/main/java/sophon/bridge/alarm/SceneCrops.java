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
 * JPEG crops around objects of a scene JPEG. Only the union of the crop squares is decoded, and
 * only for frames that alarm. A crop is a square of the object's larger side plus
 * {@value #MARGIN} of it on each side, shifted to stay inside the frame and cut only where the
 * frame is smaller than the square.
 *
 * <p>Colour regions are decoded into a per-thread image that is reused while it is large enough
 * (up to {@value #REUSED_MAX_BYTES} bytes): allocating the region per alarm (up to 6 MB for a
 * 1080p frame) was the largest source of garbage promoted into the old generation, and so of
 * full-GC pauses in the alarm path. The image is RGB in memory order, the JPEG decoder's own, so
 * decoded rows are copied with arraycopy instead of pixel by pixel through a temporary row.
 */
final class SceneCrops {
    static final double MARGIN = 0.2;
    private static final float QUALITY = 0.85f;
    static final int REUSED_MAX_BYTES = 8 * 1024 * 1024;
    private static final ImageTypeSpecifier RGB = ImageTypeSpecifier.createInterleaved(
            ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {0, 1, 2}, DataBuffer.TYPE_BYTE, false, false);
    private static final ThreadLocal<BufferedImage> REGION = new ThreadLocal<>();

    static {
        ImageIO.setUseCache(false); // crops are small; a temp file per write would be the slow part
    }

    private SceneCrops() {
    }

    record Result(int width, int height, List<byte[]> crops) {
    }

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
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(union);
            if (reader.getRawImageType(0).getNumBands() == 3) {
                BufferedImage destination = destination(union.width, union.height);
                if (destination != null) {
                    param.setDestination(destination);
                }
            }
            // With a destination, the region lands in its top-left corner.
            BufferedImage region = reader.read(0, param);
            for (Rectangle r : squares) {
                crops.add(r == null ? null : encode(region, r.x - union.x, r.y - union.y, r.width, r.height));
            }
            return new Result(width, height, crops);
        } catch (IOException | RuntimeException e) {
            throw new AlarmImageException("mSpData is not a decodable JPEG: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
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
