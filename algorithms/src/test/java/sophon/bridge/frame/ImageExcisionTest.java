package sophon.bridge.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageExcisionTest {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".getBytes();

    private static int naive(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstQuoteOrBackslashWhereverItIs() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            int marks = random.nextInt(3);
            for (int m = 0; m < marks; m++) {
                b[random.nextInt(b.length)] = random.nextBoolean() ? (byte) '"' : (byte) '\\';
            }
            int from = random.nextInt(b.length);
            assertEquals(naive(b, from, b.length), ImageExcision.quoteOrBackslash(b, from, b.length), "round " + round);
        }
    }
}
