package sophon.bridge.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.Box;

/**
 * Crops come out of one reused decode image per thread: whatever regions came before, each crop
 * must show exactly its part of the scene (no stale pixels, no offset), for colour and grey
 * JPEGs and for regions too large to reuse.
 */
class SceneCropsTest {

    /** A scene whose colour changes in both directions, so a shifted crop cannot match. */
    private static byte[] scene(int width, int height, int type) throws IOException {
        BufferedImage img = new BufferedImage(width, height, type);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < height; y += 24) {
            for (int x = 0; x < width; x += 24) {
                g.setColor(new Color((x * 5 + y) % 256, (y * 3) % 256, (x + y * 7) % 256));
                g.fillRect(x, y, 24, 24);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    /** Mean absolute difference per channel between the crop and the scene at square r. */
    private static double difference(BufferedImage scene, BufferedImage crop, Rectangle r) {
        assertEquals(r.width, crop.getWidth());
        assertEquals(r.height, crop.getHeight());
        long sum = 0;
        for (int y = 0; y < r.height; y++) {
            for (int x = 0; x < r.width; x++) {
                int e = scene.getRGB(r.x + x, r.y + y);
                int a = crop.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((e >> shift) & 0xff) - ((a >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * r.width * r.height);
    }

    private static void assertCropsMatch(byte[] jpeg, List<Box> boxes) throws Exception {
        BufferedImage full = decode(jpeg);
        SceneCrops.Result result = SceneCrops.crop(jpeg, boxes);
        assertEquals(full.getWidth(), result.width());
        assertEquals(full.getHeight(), result.height());
        for (int i = 0; i < boxes.size(); i++) {
            Rectangle square = SceneCrops.square(boxes.get(i), full.getWidth(), full.getHeight());
            double diff = difference(full, decode(result.crops().get(i)), square);
            assertTrue(diff < 6, "crop " + i + " at " + square + " differs from the scene by " + diff + " per channel");
        }
    }

    @Test
    void cropsMatchTheSceneWhateverRegionsCameBefore() throws Exception {
        byte[] jpeg = scene(960, 540, BufferedImage.TYPE_3BYTE_BGR);
        // large region first: the reused image is bigger than every region after it
        assertCropsMatch(jpeg, List.of(new Box(10, 10, 300, 300), new Box(600, 200, 300, 300)));
        assertCropsMatch(jpeg, List.of(new Box(700, 420, 40, 30)));
        assertCropsMatch(jpeg, List.of(new Box(50, 400, 60, 60), new Box(820, 40, 50, 70)));
        // a wider but flatter region than the one before: the reused image grows in one direction
        assertCropsMatch(jpeg, List.of(new Box(0, 500, 30, 30), new Box(930, 500, 30, 30)));
    }

    @Test
    void greyJpegsAreCroppedToo() throws Exception {
        byte[] jpeg = scene(640, 360, BufferedImage.TYPE_BYTE_GRAY);
        assertCropsMatch(jpeg, List.of(new Box(100, 100, 80, 60), new Box(500, 250, 40, 40)));
    }

    @Test
    void regionsTooLargeToReuseAreCroppedToo() throws Exception {
        byte[] jpeg = scene(2200, 1400, BufferedImage.TYPE_3BYTE_BGR);
        assertTrue(2200L * 1400 * 3 > SceneCrops.REUSED_MAX_BYTES);
        assertCropsMatch(jpeg, List.of(new Box(0, 0, 2200, 1400)));
        assertCropsMatch(jpeg, List.of(new Box(30, 40, 100, 100), new Box(2000, 1250, 120, 100)));
    }
}
