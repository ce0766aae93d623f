package sophon.bridge.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.Box;

/**
 * Each crop must show exactly its part of the scene (no stale pixels, no offset), for colour and
 * grey JPEGs: baseline ones are cut out of their coefficients (the crop moves out to the block
 * grid), progressive ones are decoded, into one reused image per thread whatever regions came
 * before, or one by one for regions too large to reuse.
 */
class SceneCropsTest {

    /** A scene whose colour changes in both directions, so a shifted crop cannot match. */
    private static byte[] scene(int width, int height, int type, boolean progressive) throws IOException {
        BufferedImage img = new BufferedImage(width, height, type);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < height; y += 24) {
            for (int x = 0; x < width; x += 24) {
                g.setColor(new Color((x * 5 + y) % 256, (y * 3) % 256, (x + y * 7) % 256));
                g.fillRect(x, y, 24, 24);
            }
        }
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    /** Mean absolute difference per channel between the crop and the scene at r. */
    private static double difference(BufferedImage scene, BufferedImage crop, Box r) {
        assertEquals(r.width(), crop.getWidth());
        assertEquals(r.height(), crop.getHeight());
        long sum = 0;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int e = scene.getRGB(r.x() + x, r.y() + y);
                int a = crop.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((e >> shift) & 0xff) - ((a >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * r.width() * r.height());
    }

    /**
     * Checks each crop against the scene where it should be: the square, or for a baseline JPEG
     * the square moved out to the block grid and then (lossless) nearly the same pixels.
     */
    private static void assertCropsMatch(byte[] jpeg, List<Box> boxes) throws Exception {
        BufferedImage full = decode(jpeg);
        Optional<JpegCrop> baseline = JpegCrop.parse(jpeg);
        SceneCrops.Result result = SceneCrops.crop(jpeg, boxes);
        assertEquals(full.getWidth(), result.width());
        assertEquals(full.getHeight(), result.height());
        for (int i = 0; i < boxes.size(); i++) {
            Box square = SceneCrops.square(boxes.get(i), full.getWidth(), full.getHeight());
            Box covered = baseline.map(b -> b.aligned(square)).orElse(square);
            assertTrue(covered.x() <= square.x()
                    && covered.y() <= square.y()
                    && covered.right() == square.right()
                    && covered.bottom() == square.bottom());
            double diff = difference(full, decode(result.crops().get(i)), covered);
            // lossless: only the edges, where chroma upsampling lost its outer neighbours, differ;
            // a crop off by one 24-pixel tile differs by ~40
            double limit = baseline.isPresent() ? 1.5 : 6;
            assertTrue(
                    diff < limit,
                    "crop " + i + " at " + covered + " differs from the scene by " + diff + " per channel");
        }
    }

    @Test
    void cropsMatchTheSceneWhateverRegionsCameBefore() throws Exception {
        for (boolean progressive : new boolean[] {false, true}) {
            byte[] jpeg = scene(960, 540, BufferedImage.TYPE_3BYTE_BGR, progressive);
            assertEquals(!progressive, JpegCrop.parse(jpeg).isPresent());
            // large region first: the reused image is bigger than every region after it
            assertCropsMatch(jpeg, List.of(new Box(10, 10, 300, 300), new Box(600, 200, 300, 300)));
            assertCropsMatch(jpeg, List.of(new Box(700, 420, 40, 30)));
            assertCropsMatch(jpeg, List.of(new Box(50, 400, 60, 60), new Box(820, 40, 50, 70)));
            // a wider but flatter region than the one before: the reused image grows in one direction
            assertCropsMatch(jpeg, List.of(new Box(0, 500, 30, 30), new Box(930, 500, 30, 30)));
        }
    }

    @Test
    void aBaselineCropIsTheSourcesCoefficientsOnTheBlockGrid() throws Exception {
        byte[] jpeg = scene(960, 540, BufferedImage.TYPE_3BYTE_BGR, false);
        // square 70 x 70 at (390, 190): out to the 16-pixel grid of a 4:2:0 JPEG, (384, 176)
        SceneCrops.Result result = SceneCrops.crop(jpeg, List.of(new Box(400, 200, 50, 50)));
        BufferedImage crop = decode(result.crops().get(0));
        assertEquals(76, crop.getWidth());
        assertEquals(84, crop.getHeight());
    }

    @Test
    void greyJpegsAreCroppedToo() throws Exception {
        for (boolean progressive : new boolean[] {false, true}) {
            byte[] jpeg = scene(640, 360, BufferedImage.TYPE_BYTE_GRAY, progressive);
            assertCropsMatch(jpeg, List.of(new Box(100, 100, 80, 60), new Box(500, 250, 40, 40)));
        }
    }

    @Test
    void regionsTooLargeToReuseAreCroppedOneByOne() throws Exception {
        byte[] jpeg = scene(2200, 1400, BufferedImage.TYPE_3BYTE_BGR, true);
        assertTrue(2200L * 1400 * 3 > DecodedCrops.REUSED_MAX_BYTES);
        // two small squares far apart: their union is over the reused image, each one is not
        assertCropsMatch(jpeg, List.of(new Box(30, 40, 100, 100), new Box(2000, 1250, 120, 100)));
    }

    @Test
    void aJpegTheLosslessPathCannotReadIsDecodedInstead() throws Exception {
        byte[] jpeg = scene(640, 360, BufferedImage.TYPE_3BYTE_BGR, false);
        // its scan cut short: the coefficients of the bottom rows are missing, libjpeg fills them in
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
        assertTrue(JpegCrop.parse(cut).isPresent());
        SceneCrops.Result result = SceneCrops.crop(cut, List.of(new Box(300, 320, 30, 30)));
        BufferedImage crop = decode(result.crops().get(0));
        assertEquals(42, crop.getWidth(), "the square itself: decoded, not cut on the block grid");
        assertEquals(42, crop.getHeight());
    }

    /**
     * A big object in a 4K frame: its crop is scaled down to the cap (every second pixel of a
     * 2160-pixel square), still shows its part of the scene, and the decode used the reused
     * per-thread image, not a region of the crop's full size. Squares needing different factors
     * are decoded one by one; two big ones with the same factor share one decode at that factor.
     */
    @Test
    void cropsOverTheCapAreScaledDown() throws Exception {
        byte[] jpeg = scene(3840, 2160, BufferedImage.TYPE_3BYTE_BGR, false);
        BufferedImage full = decode(jpeg);
        List<Box> mixed =
                List.of(new Box(1000, 200, 900, 1500), new Box(3500, 100, 200, 200), new Box(0, 0, 3840, 2160));
        assertEquals(2, SceneCrops.subsampling(SceneCrops.square(mixed.get(0), 3840, 2160)));
        assertEquals(1, SceneCrops.subsampling(SceneCrops.square(mixed.get(1), 3840, 2160)));
        assertEquals(4, SceneCrops.subsampling(SceneCrops.square(mixed.get(2), 3840, 2160)));
        assertScaledCropsMatch(full, jpeg, mixed);
        // both at factor 2, at both ends of the frame: one decode of the whole frame at 1920x1080
        assertScaledCropsMatch(full, jpeg, List.of(new Box(200, 100, 900, 1500), new Box(2700, 300, 1000, 1600)));
        assertTrue(DecodedCrops.regionBytesOfThisThread() <= DecodedCrops.REUSED_MAX_BYTES);
        assertTrue(DecodedCrops.regionBytesOfThisThread() > 0, "decoded into the reused image");
    }

    private static void assertScaledCropsMatch(BufferedImage full, byte[] jpeg, List<Box> boxes) throws Exception {
        SceneCrops.Result result = SceneCrops.crop(jpeg, boxes);
        for (int i = 0; i < boxes.size(); i++) {
            Box square = SceneCrops.square(boxes.get(i), full.getWidth(), full.getHeight());
            int step = SceneCrops.subsampling(square);
            BufferedImage crop = decode(result.crops().get(i));
            assertTrue(
                    crop.getWidth() <= SceneCrops.MAX_CROP_SIDE && crop.getHeight() <= SceneCrops.MAX_CROP_SIDE,
                    "crop " + i + " is " + crop.getWidth() + "x" + crop.getHeight());
            // a shared decode may end its last column or row one pixel short
            assertTrue(
                    Math.abs(SceneCrops.scaled(square.width(), step) - crop.getWidth()) <= 1,
                    "width " + crop.getWidth());
            assertTrue(
                    Math.abs(SceneCrops.scaled(square.height(), step) - crop.getHeight()) <= 1,
                    "height " + crop.getHeight());
            // a crop shifted by one 24-pixel tile differs by ~40 per channel; scaled-down tile edges cost ~10
            double diff = subsampledDifference(full, crop, square, step);
            assertTrue(
                    diff < 15, "crop " + i + " at " + square + " / " + step + " differs by " + diff + " per channel");
        }
    }

    private static double subsampledDifference(BufferedImage scene, BufferedImage crop, Box r, int step) {
        long sum = 0;
        for (int y = 0; y < crop.getHeight(); y++) {
            for (int x = 0; x < crop.getWidth(); x++) {
                int e = scene.getRGB(r.x() + x * step, r.y() + y * step);
                int a = crop.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((e >> shift) & 0xff) - ((a >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * crop.getWidth() * crop.getHeight());
    }
}
