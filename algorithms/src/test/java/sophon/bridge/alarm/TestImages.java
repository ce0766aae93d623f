package sophon.bridge.alarm;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;

final class TestImages {
    private TestImages() {}

    static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        for (int x = 0; x < width; x += 16) {
            g.setColor(new Color((x * 7) % 256, (x * 3) % 256, 128));
            g.fillRect(x, 0, 16, height);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    static String base64Jpeg(int width, int height) throws IOException {
        return Base64.getEncoder().encodeToString(jpeg(width, height));
    }

    static BufferedImage decode(String base64) throws IOException {
        BufferedImage img =
                ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        if (img == null) {
            throw new IOException("not an image");
        }
        return img;
    }
}
