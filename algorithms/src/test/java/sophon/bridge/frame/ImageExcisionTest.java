package sophon.bridge.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageExcisionTest {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".getBytes();

    // What may stand among base64 in a body: escapes' backslashes, bytes of UTF-8 text (0x80 and
    // above, which the word test must neither flag nor let hide a stop after them), and stops.
    private static final byte[] OTHERS = {'\\', (byte) 0xC3, (byte) 0xFF, (byte) 0x80};
    private static final byte[] STOPS = {'"', ' ', '\n', 0, '*', '!'};

    private static int naive(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((b[i] & 0xff) < '+') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstByteBelowBase64WhereverItIs() {
        Random random = new Random(7);
        for (int round = 0; round < 5000; round++) {
            byte[] b = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            for (int m = random.nextInt(4); m > 0; m--) {
                b[random.nextInt(b.length)] = OTHERS[random.nextInt(OTHERS.length)];
            }
            for (int m = random.nextInt(3); m > 0; m--) {
                b[random.nextInt(b.length)] = STOPS[random.nextInt(STOPS.length)];
            }
            int from = random.nextInt(b.length);
            assertEquals(naive(b, from, b.length), ImageExcision.belowBase64(b, from, b.length), "round " + round);
        }
    }

    @Test
    void findsTheFirstBackslashWhereverItIs() {
        Random random = new Random(11);
        for (int round = 0; round < 5000; round++) {
            byte[] b = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            // bytes one off a backslash in the word test, and UTF-8 bytes, must not be taken for one
            byte[] near = {'[', ']', (byte) 0xDC, (byte) 0x5D, (byte) 0xC3, '"'};
            for (int m = random.nextInt(6); m > 0; m--) {
                b[random.nextInt(b.length)] = near[random.nextInt(near.length)];
            }
            for (int m = random.nextInt(3); m > 0; m--) {
                b[random.nextInt(b.length)] = '\\';
            }
            int from = random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                if (b[i] == '\\') {
                    expected = i;
                }
            }
            assertEquals(expected, ImageExcision.indexOfBackslash(b, from, to), "round " + round);
        }
    }
}
