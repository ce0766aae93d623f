package sophon.bridge.alarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.frame.RecordedFrame;

/**
 * A lossless crop holds the source's own blocks: decoded, it must show the pixels of the same
 * rectangle of the decoded source. Only the one-pixel border where a crop edge lies inside the
 * image may differ, and only in chroma: there the decoder's chroma upsampling sees the crop's edge
 * instead of the source's neighbouring samples. Luma is exact everywhere.
 */
class JpegCropTest {
    private static final String NATIVE = "javax_imageio_jpeg_image_1.0";

    /** Gradients, noise and hard-edged shapes: every block has AC energy, and a shift shows. */
    private static BufferedImage scene(int width, int height, int type) {
        BufferedImage img = new BufferedImage(width, height, type);
        Random random = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = random.nextInt(41) - 20;
                int r = clamp(x * 255 / width + n);
                int g = clamp(y * 255 / height - n);
                int b = clamp((x + y) * 2 % 256 + n / 2);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(3));
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(1 << 24)));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            if (i % 3 == 0) {
                g.fillOval(x - 20, y - 15, 40 + i * 3, 30 + i * 2);
            } else if (i % 3 == 1) {
                g.drawLine(x, y, random.nextInt(width), random.nextInt(height));
            } else {
                g.fillRect(x, y, 17 + i, 9 + i);
            }
        }
        g.dispose();
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The image as ImageIO's JPEG writer codes it; restartInterval 0 writes no DRI. */
    private static byte[] jpeg(BufferedImage image, float quality, boolean progressive, int restartInterval)
            throws IOException {
        return jpeg(image, quality, progressive, restartInterval, 0);
    }

    /**
     * The image as ImageIO's JPEG writer codes it; restartInterval 0 writes no DRI, lumaSampling
     * (H << 4 | V of the first component, the others 1x1) 0 leaves the writer's 2x2.
     */
    private static byte[] jpeg(
            BufferedImage image, float quality, boolean progressive, int restartInterval, int lumaSampling)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(NATIVE);
            IIOMetadataNode markers = (IIOMetadataNode)
                    root.getElementsByTagName("markerSequence").item(0);
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                markers.insertBefore(dri, markers.getElementsByTagName("sos").item(0));
            }
            if (lumaSampling != 0) {
                IIOMetadataNode luma = (IIOMetadataNode)
                        markers.getElementsByTagName("componentSpec").item(0);
                luma.setAttribute("HsamplingFactor", Integer.toString(lumaSampling >> 4));
                luma.setAttribute("VsamplingFactor", Integer.toString(lumaSampling & 15));
            }
            metadata.setFromTree(NATIVE, root);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The JPEG as ImageIO decodes it, failing on any warning (libjpeg's "corrupt data" ones). */
    private static BufferedImage decode(byte[] jpeg) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            BufferedImage image = reader.read(0);
            assertNotNull(image, "ImageIO cannot read the JPEG");
            assertEquals(List.of(), warnings);
            return image;
        } finally {
            reader.dispose();
        }
    }

    /** Decoded samples without colour conversion: Y, Cb, Cr after upsampling (or grey). */
    private static Raster raw(byte[] jpeg) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            return reader.readRaster(0, null);
        } finally {
            reader.dispose();
        }
    }

    /**
     * How a crop's pixels differ from the source's at the same place: in RGB, inside the one-pixel
     * border (on the sides where the crop edge lies inside the image) and on it, and the mean over
     * the crop; in the raw samples, luma over the whole crop, chroma inside the border and on it.
     */
    private record Difference(
            int rgbInterior, int rgbBorder, double rgbMean, int luma, int chromaInterior, int chromaBorder) {}

    /** Crops source at each region, checks each crop's geometry and compares its pixels with the source's. */
    private static List<Difference> compare(byte[] source, List<Box> regions) throws IOException {
        JpegCrop parsed = JpegCrop.parse(source).orElseThrow();
        List<byte[]> crops = parsed.crop(regions);
        BufferedImage full = decode(source);
        Raster fullRaw = raw(source);
        assertEquals(full.getWidth(), parsed.width());
        assertEquals(full.getHeight(), parsed.height());
        Box image = new Box(0, 0, full.getWidth(), full.getHeight());
        List<Difference> differences = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            Box r = parsed.aligned(regions.get(i));
            byte[] crop = crops.get(i);
            Box inside = regions.get(i).clampTo(image.width(), image.height());
            assertTrue(
                    inside.x() >= r.x()
                            && inside.y() >= r.y()
                            && inside.right() <= r.right()
                            && inside.bottom() <= r.bottom(),
                    r + " misses part of " + regions.get(i));
            assertSof0(crop, r);
            BufferedImage decoded = decode(crop);
            assertEquals(r.width(), decoded.getWidth(), "crop " + i + " at " + r);
            assertEquals(r.height(), decoded.getHeight(), "crop " + i + " at " + r);
            int bands = fullRaw.getNumBands();
            Raster cropRaw = raw(crop);
            int[] rgb = difference(full.getRaster(), decoded.getRaster(), r, image, 0, bands);
            int[] luma = difference(fullRaw, cropRaw, r, image, 0, 1);
            int[] chroma = difference(fullRaw, cropRaw, r, image, 1, bands);
            double mean = rgb[2] / ((double) full.getRaster().getNumBands() * r.width() * r.height());
            differences.add(new Difference(rgb[0], rgb[1], mean, Math.max(luma[0], luma[1]), chroma[0], chroma[1]));
        }
        return differences;
    }

    /**
     * The largest difference between the crop and the source at r in bands first to end
     * (exclusive), inside the border and on it, and the sum of differences.
     */
    private static int[] difference(Raster full, Raster crop, Box r, Box image, int first, int end) {
        assertEquals(full.getNumBands(), crop.getNumBands());
        int[] result = new int[3];
        int[] a = new int[full.getNumBands()];
        int[] b = new int[full.getNumBands()];
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                full.getPixel(r.x() + x, r.y() + y, a);
                crop.getPixel(x, y, b);
                boolean border = (x == 0 && r.x() > 0)
                        || (y == 0 && r.y() > 0)
                        || (x == r.width() - 1 && r.x() + r.width() < image.width())
                        || (y == r.height() - 1 && r.y() + r.height() < image.height());
                for (int band = first; band < end; band++) {
                    int d = Math.abs(a[band] - b[band]);
                    result[2] += d;
                    result[border ? 1 : 0] = Math.max(result[border ? 1 : 0], d);
                }
            }
        }
        return result;
    }

    /** A baseline frame of the crop's size, and no restart interval. */
    private static void assertSof0(byte[] crop, Box r) {
        int p = 2;
        boolean sof0 = false;
        while ((crop[p + 1] & 0xFF) != 0xDA) {
            int marker = crop[p + 1] & 0xFF;
            assertTrue(marker != 0xDD && (marker < 0xC1 || marker > 0xCF || marker == 0xC4), "marker " + marker);
            if (marker == 0xC0) {
                sof0 = true;
                assertEquals(r.height(), (crop[p + 5] & 0xFF) << 8 | (crop[p + 6] & 0xFF));
                assertEquals(r.width(), (crop[p + 7] & 0xFF) << 8 | (crop[p + 8] & 0xFF));
            }
            p += 2 + ((crop[p + 2] & 0xFF) << 8 | (crop[p + 3] & 0xFF));
        }
        assertTrue(sof0);
    }

    /** Regions of every kind for a width×height image with an MCU of mcu pixels. */
    private static List<Box> regions(int width, int height, int mcu) {
        return List.of(
                new Box(0, 0, 37, 29), // at the origin
                new Box(width - 45, 13, 45, 40), // at the right edge
                new Box(21, height - 30, 50, 30), // at the bottom edge
                new Box(width - 70, height - 3, 70, 3), // in the last MCU row, at the corner
                new Box(5 * mcu, 9, 1, 33), // one pixel wide, on the MCU grid
                // one pixel wide, inside an MCU; the crop is 8 wide: libjpeg upsamples the chroma
                // of images at most 4 wide without interpolation, which would differ everywhere
                new Box(5 * mcu + 7, 9, 1, 33),
                new Box(0, 0, width, height), // the whole image
                new Box(mcu + 5, mcu + 7, width / 2, height / 2)); // overlapping the others
    }

    /**
     * Luma (all of grey) is exact over the whole crop, chroma and RGB inside the border; on the
     * border chroma differs by at most 7/16 of its range, the weight fancy upsampling gives to the
     * samples past the crop's edge (a quarter at an edge, 7/16 at a corner), and RGB by at most
     * maxRgbBorder; the mean RGB difference of a crop at least 16 a side (whose border is a small
     * part of it) is under 0.5.
     */
    private static void assertLossless(String what, byte[] source, List<Box> regions, int maxRgbBorder)
            throws IOException {
        List<Difference> differences = compare(source, regions);
        System.out.println(what + ": " + differences);
        for (int i = 0; i < differences.size(); i++) {
            Difference d = differences.get(i);
            Box r = regions.get(i);
            String crop = what + " crop " + i + " at " + r + ": " + d;
            assertEquals(0, d.luma, crop);
            assertEquals(0, d.chromaInterior, crop);
            assertEquals(0, d.rgbInterior, crop);
            assertTrue(d.chromaBorder <= 255 * 7 / 16, crop);
            assertTrue(d.rgbBorder <= maxRgbBorder, crop);
            assertTrue(r.width() < 16 || r.height() < 16 || d.rgbMean < 0.5, crop);
        }
    }

    @Test
    void colourCropsShowTheSourcesPixels() throws IOException {
        for (int[] size : new int[][] {{320, 240}, {203, 117}}) {
            BufferedImage image = scene(size[0], size[1], BufferedImage.TYPE_3BYTE_BGR);
            for (float quality : new float[] {0.75f, 0.95f}) {
                byte[] source = jpeg(image, quality, false, 0);
                assertEquals(
                        new Box(0, 0, 16, 16),
                        JpegCrop.parse(source).orElseThrow().aligned(new Box(15, 15, 1, 1)));
                assertLossless(
                        "colour " + size[0] + "x" + size[1] + " q" + quality,
                        source,
                        regions(size[0], size[1], 16),
                        255);
            }
        }
    }

    @Test
    void otherSamplingFactorsCropOnTheirMcuGrid() throws IOException {
        BufferedImage image = scene(203, 117, BufferedImage.TYPE_3BYTE_BGR);
        for (int sampling : new int[] {0x11, 0x21, 0x12}) { // 4:4:4, 4:2:2, 4:4:0
            byte[] source = jpeg(image, 0.9f, false, 0, sampling);
            assertEquals(sampling, source[indexOfMarker(source, 0xC0) + 11] & 0xFF);
            int mcuWidth = 8 * (sampling >> 4);
            int mcuHeight = 8 * (sampling & 15);
            int x = 15 / mcuWidth * mcuWidth;
            int y = 15 / mcuHeight * mcuHeight;
            assertEquals(
                    new Box(x, y, 16 - x, 16 - y),
                    JpegCrop.parse(source).orElseThrow().aligned(new Box(15, 15, 1, 1)));
            assertLossless(
                    "colour 203x117 sampling " + Integer.toHexString(sampling),
                    source,
                    regions(203, 117, mcuWidth),
                    255);
        }
    }

    @Test
    void greyCropsAreExact() throws IOException {
        for (int[] size : new int[][] {{320, 240}, {203, 117}}) {
            BufferedImage image = scene(size[0], size[1], BufferedImage.TYPE_BYTE_GRAY);
            for (float quality : new float[] {0.75f, 0.95f}) {
                byte[] source = jpeg(image, quality, false, 0);
                assertEquals(
                        new Box(8, 8, 8, 8),
                        JpegCrop.parse(source).orElseThrow().aligned(new Box(15, 15, 1, 1)));
                assertLossless(
                        "grey " + size[0] + "x" + size[1] + " q" + quality, source, regions(size[0], size[1], 8), 0);
            }
        }
    }

    @Test
    void recordedFrameCropsShowItsPixels() throws Exception {
        byte[] body = RecordedFrame.body(Path.of("../bench/business-logic/frame-1080p.json"));
        FrameResult frame = FrameResult.of(new ObjectMetadataReader().read(body, body.length), 0)
                .withOwnImage();
        byte[] source = frame.image().decode();
        List<Box> regions = new ArrayList<>();
        for (DetectedObject o : frame.objects()) {
            regions.add(SceneCrops.square(o.box(), 1920, 1080));
        }
        regions.add(SceneCrops.square(new Box(900, 500, 120, 320), 1920, 1080)); // AlarmBench's person
        regions.addAll(regions(1920, 1080, 16));
        assertLossless("recorded 1080p frame", source, regions, 16);
    }

    @Test
    void nullAndOutsideRegionsGiveNullCrops() throws IOException {
        byte[] source = jpeg(scene(64, 48, BufferedImage.TYPE_3BYTE_BGR), 0.75f, false, 0);
        List<byte[]> crops = JpegCrop.crop(
                        source, Arrays.asList(null, new Box(64, 0, 10, 10), new Box(-20, -5, 10, 10)))
                .orElseThrow();
        assertEquals(3, crops.size());
        crops.forEach(c -> assertNull(c));
        assertEquals(new Box(0, 0, 64, 48), JpegCrop.parse(source).orElseThrow().aligned(new Box(-5, -5, 100, 100)));
    }

    @Test
    void restartIntervalsGiveTheSameCrops() throws IOException {
        BufferedImage image = scene(203, 117, BufferedImage.TYPE_3BYTE_BGR);
        byte[] plain = jpeg(image, 0.75f, false, 0);
        List<Box> regions = regions(203, 117, 16);
        List<byte[]> expected = JpegCrop.crop(plain, regions).orElseThrow();
        for (int interval : new int[] {1, 3, 13, 40}) {
            byte[] restarting = jpeg(image, 0.75f, false, interval);
            assertTrue(restarting.length > plain.length, "no restart markers written");
            List<byte[]> crops = JpegCrop.crop(restarting, regions).orElseThrow();
            for (int i = 0; i < regions.size(); i++) {
                assertArrayEquals(expected.get(i), crops.get(i), "interval " + interval + ", crop " + i);
            }
        }
    }

    @Test
    void otherCodingProcessesAreNotHandled() throws IOException {
        BufferedImage image = scene(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        List<Box> one = List.of(new Box(0, 0, 16, 16));
        assertEquals(Optional.empty(), JpegCrop.crop(jpeg(image, 0.75f, true, 0), one));
        byte[] baseline = jpeg(image, 0.75f, false, 0);
        int sof = indexOfMarker(baseline, 0xC0);
        for (int process : new int[] {0xC2, 0xC3, 0xC9, 0xCA}) { // progressive, lossless, arithmetic
            byte[] other = baseline.clone();
            other[sof + 1] = (byte) process;
            assertEquals(Optional.empty(), JpegCrop.crop(other, one), Integer.toHexString(process));
        }
        byte[] extended = baseline.clone(); // 8-bit extended sequential: the same scan as baseline
        extended[sof + 1] = (byte) 0xC1;
        assertArrayEquals(
                JpegCrop.crop(baseline, one).orElseThrow().get(0),
                JpegCrop.crop(extended, one).orElseThrow().get(0));
        byte[] twelveBit = baseline.clone();
        twelveBit[sof + 4] = 12;
        assertEquals(Optional.empty(), JpegCrop.crop(twelveBit, one));
    }

    @Test
    void truncatedDataThrowsUnlessTheCropsLieBeforeTheCut() throws IOException {
        byte[] source = jpeg(scene(320, 240, BufferedImage.TYPE_3BYTE_BGR), 0.75f, false, 0);
        byte[] cut = Arrays.copyOf(source, source.length / 2);
        IOException e = assertThrows(IOException.class, () -> JpegCrop.crop(cut, List.of(new Box(0, 200, 320, 40))));
        assertTrue(e.getMessage().startsWith("JPEG scan ends before"), e.getMessage());
        // the first rows of the image lie in the first half of its data: never read past them
        byte[] top = JpegCrop.crop(cut, List.of(new Box(0, 0, 320, 32)))
                .orElseThrow()
                .get(0);
        assertArrayEquals(
                top,
                JpegCrop.crop(source, List.of(new Box(0, 0, 320, 32)))
                        .orElseThrow()
                        .get(0));
        byte[] headers = Arrays.copyOf(source, indexOfMarker(source, 0xDA) + 5);
        e = assertThrows(IOException.class, () -> JpegCrop.crop(headers, List.of(new Box(0, 0, 8, 8))));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(IOException.class, () -> JpegCrop.parse(new byte[] {1, 2, 3, 4, 5}));
    }

    private static int indexOfMarker(byte[] jpeg, int marker) {
        for (int p = 2; ; ) {
            if ((jpeg[p + 1] & 0xFF) == marker) {
                return p;
            }
            p += 2 + ((jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF));
        }
    }
}
