package sophon.bridge.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts the {@code "mSpData"} strings (the frame's and the sub-objects' base64 JPEGs, 95% of a post)
 * out of a body before JSON parsing, so that the parser walks a few KB instead of hundreds.
 * Each value's end is found 32 bytes per step; the value is replaced by {@code ""} in a
 * compact copy and remembered by the offset of its opening quote in that copy.
 * The scan stops only at bytes below {@code '+'}, the lowest base64 character: the closing quote,
 * or anything base64 never holds (a space, a control character), which leaves the value in place
 * for the parser, as does a quote after a backslash. Other escapes ({@code \/}, {@code \n}) are
 * not looked for on this path: the cut text keeps them, and {@link Base64Image} resolves them when
 * the image is read (an alarm, a snapshot), which most frames never are.
 * Not thread-safe; one instance per parsing thread.
 */
final class ImageExcision {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] KEY = "\"mSpData\"".getBytes(StandardCharsets.US_ASCII);
    private static final long HIGHS = 0x8080808080808080L;
    private static final long PLUSES = 0x2B2B2B2B2B2B2B2BL;
    private static final long ONES = 0x0101010101010101L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final int MAX_KEPT_DOC = 1 << 20;

    byte[] doc = new byte[16 * 1024];
    int docLength;
    private int[] cutAt = new int[8];
    private int[] start = new int[8];
    private int[] length = new int[8];
    private int cuts;

    /** Makes the compact copy of body[0..len); returns false when there was nothing to cut. */
    boolean excise(byte[] body, int len) {
        cuts = 0;
        docLength = 0;
        int pos = 0;
        int copied = 0;
        while (true) {
            int key = indexOfKey(body, pos, len);
            if (key < 0) {
                break;
            }
            int i = key + KEY.length;
            while (i < len && isSpace(body[i])) {
                i++;
            }
            if (i >= len || body[i] != ':') {
                pos = key + 1;
                continue;
            }
            i++;
            while (i < len && isSpace(body[i])) {
                i++;
            }
            if (i >= len || body[i] != '"') {
                pos = i;
                continue;
            }
            int open = i;
            int close = belowBase64(body, open + 1, len);
            if (close < 0) {
                break; // unterminated: let the parser report it
            }
            if (body[close] != '"' || body[close - 1] == '\\') {
                pos = close; // not base64, or an escaped quote: the parser handles this value
                continue;
            }
            append(body, copied, open + 1); // up to and including the opening quote
            remember(docLength - 1, open + 1, close - open - 1);
            copied = close; // the closing quote is copied next
            pos = close + 1;
        }
        if (cuts == 0) {
            return false;
        }
        append(body, copied, len);
        return true;
    }

    /** The cut value whose opening quote is at docOffset of the compact copy, or null. */
    Base64Image slice(byte[] body, long docOffset) {
        for (int k = 0; k < cuts; k++) {
            if (cutAt[k] == docOffset) {
                return Base64Image.ofJsonText(body, start[k], length[k]);
            }
        }
        return null;
    }

    /** Drops an oversized copy buffer so a single huge post does not pin memory. */
    void trim() {
        if (doc.length > MAX_KEPT_DOC) {
            doc = new byte[16 * 1024];
        }
    }

    private void append(byte[] body, int from, int to) {
        int n = to - from;
        if (docLength + n > doc.length) {
            doc = Arrays.copyOf(doc, Math.max(doc.length * 2, docLength + n));
        }
        System.arraycopy(body, from, doc, docLength, n);
        docLength += n;
    }

    private void remember(int quoteInDoc, int valueStart, int valueLength) {
        if (cuts == cutAt.length) {
            cutAt = Arrays.copyOf(cutAt, cuts * 2);
            start = Arrays.copyOf(start, cuts * 2);
            length = Arrays.copyOf(length, cuts * 2);
        }
        cutAt[cuts] = quoteInDoc;
        start[cuts] = valueStart;
        length[cuts] = valueLength;
        cuts++;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static int indexOfKey(byte[] b, int from, int len) {
        int last = len - KEY.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (b[i] != '"') {
                continue;
            }
            for (int k = 1; k < KEY.length; k++) {
                if (b[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Index of the first byte in b[from..to) below {@code '+'} (0x2B), or -1: a JSON string's closing
     * quote (0x22) is one, every base64 character is above. Tests 32 bytes per step with the "has a
     * byte less than n" bit trick, {@code (w - n*0x01..) & ~w & 0x80..}, which flags no byte of a word
     * before its first such byte; the four words are combined before the one branch. One test per
     * word instead of two (a quote or a backslash): the scan of a 256 KB value went from 64 to 35 us
     * under C1 (business-logic/README.md). Written out by hand rather than through a helper per word:
     * business logic runs C1 only (business-logic/jvm.options), which left such a helper a call per
     * word (149 against 69 us when there were two tests).
     */
    static int belowBase64(byte[] b, int from, int to) {
        int i = from;
        for (; i + 32 <= to; i += 32) {
            long w0 = (long) LONGS.get(b, i);
            long w1 = (long) LONGS.get(b, i + 8);
            long w2 = (long) LONGS.get(b, i + 16);
            long w3 = (long) LONGS.get(b, i + 24);
            long hit = ((w0 - PLUSES) & ~w0) | ((w1 - PLUSES) & ~w1) | ((w2 - PLUSES) & ~w2) | ((w3 - PLUSES) & ~w3);
            if ((hit & HIGHS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            if ((b[i] & 0xff) < '+') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first backslash in b[from..to), or -1; a word at a time ("has a zero byte" of w ^ 0x5C..). */
    static int indexOfBackslash(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ BACKSLASHES;
            if (((x - ONES) & ~x & HIGHS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\\') {
                return i;
            }
        }
        return -1;
    }
}
