package sophon.bridge.frame;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A base64 JPEG exactly as it arrived in the request body: a slice of the body's bytes. Kept as
 * text because most frames never alarm, and decoding 100 KB – 1 MB per frame on the hot path
 * would cost more than everything else together.
 *
 * <p>A slice cut out of a JSON body ({@link #ofJsonText}) may still hold the string's escapes
 * (a writer may send {@code \/} for {@code /}, or wrap lines as {@code \n}): looking for them
 * would cost every frame a second pass over its image, so they are resolved only when the text
 * is read, by {@link #decode()}, {@link #writeJsonString}, {@link #toString()} and the rest.
 */
public final class Base64Image {
    private static final byte[] JPEG_PREFIX = "/9j/".getBytes(StandardCharsets.US_ASCII);

    private final byte[] buffer;
    private final int offset;
    private final int length;
    private final boolean jsonText;
    /** Known to hold no byte a JSON string must escape (below 0x20, a quote, a backslash). */
    private final boolean clean;

    /** The text buffer[offset..offset+length), taken as it is. */
    public Base64Image(byte[] buffer, int offset, int length) {
        this(buffer, offset, length, false, false);
    }

    private Base64Image(byte[] buffer, int offset, int length, boolean jsonText, boolean clean) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.jsonText = jsonText;
        this.clean = clean;
    }

    /** The raw content of a JSON string, between its quotes: escapes are resolved when it is read. */
    static Base64Image ofJsonText(byte[] buffer, int offset, int length) {
        return new Base64Image(buffer, offset, length, true, false);
    }

    public static Base64Image of(String base64) {
        byte[] b = base64.getBytes(StandardCharsets.US_ASCII);
        return new Base64Image(b, 0, b.length);
    }

    /** Bytes the text takes where it lies (escapes, if any, included): what holding it costs. */
    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * The same text in its own array: for keeping beyond the life of a reused request buffer. A cut
     * JSON text without a backslash (every real frame's) is known clean here, once: the cut holds
     * no byte below '+' (ImageExcision), so no escape either. An alarm's reads of its frame (crop
     * decode, alarm JSON, the recent alarm's file) then stop scanning its 250 KB for escapes each
     * (box bench: 1.6 % of business logic's CPU in those scans).
     */
    public Base64Image copy() {
        byte[] own = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        boolean plainCut = jsonText && indexOfBackslash() < 0;
        return new Base64Image(own, 0, length, jsonText && !plainCut, clean || plainCut);
    }

    /** Cheap check: standard base64 of a JPEG (FF D8 FF) always starts with "/9j/". */
    public boolean looksLikeJpeg() {
        if (startsWithJpegPrefix()) {
            return true; // no backslash among these bytes: they are the text itself
        }
        return jsonText && escapedTextStartsWithJpegPrefix();
    }

    /**
     * The prefix check through the escapes a writer may use there (an escaped slash, a hex escape),
     * without resolving the rest: a writer that escapes every slash must not cost each frame a
     * copy of its image.
     */
    private boolean escapedTextStartsWithJpegPrefix() {
        int end = offset + length;
        int i = offset;
        for (byte expected : JPEG_PREFIX) {
            if (i >= end) {
                return false;
            }
            int c = buffer[i++];
            if (c == '\\') {
                if (i >= end) {
                    return false;
                }
                int escape = buffer[i++];
                if (escape == '/') {
                    c = '/';
                } else if (escape == 'u' && i + 4 <= end) {
                    c = hex4(i);
                    i += 4;
                } else {
                    return false;
                }
            }
            if (c != expected) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithJpegPrefix() {
        if (length < JPEG_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < JPEG_PREFIX.length; i++) {
            if (buffer[offset + i] != JPEG_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * This text with its JSON escapes resolved (by the reader's own JSON parser): itself when it has
     * none. Throws IllegalArgumentException for an escape JSON does not allow.
     */
    private Base64Image plain() {
        if (!jsonText) {
            return this;
        }
        if (indexOfBackslash() < 0) {
            return new Base64Image(buffer, offset, length, false, true);
        }
        try {
            return of(ObjectMetadataReader.stringContent(buffer, offset, length));
        } catch (IOException e) {
            throw new IllegalArgumentException("the image text holds an invalid JSON escape: " + e.getMessage(), e);
        }
    }

    private int indexOfBackslash() {
        return ImageExcision.indexOfBackslash(buffer, offset, offset + length);
    }

    /** The four hex digits at from as a number, or -1. */
    private int hex4(int from) {
        int c = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(buffer[i], 16);
            if (d < 0) {
                return -1;
            }
            c = c * 16 + d;
        }
        return c;
    }

    /**
     * The image bytes; throws IllegalArgumentException when the text is not standard base64.
     * Line breaks (some encoders wrap at 76 columns) are allowed, as application-web's Go
     * decoder allows them.
     */
    public byte[] decode() {
        if (jsonText) {
            return plain().decode();
        }
        ByteBuffer out;
        try {
            out = Base64.getDecoder().decode(ByteBuffer.wrap(buffer, offset, length));
        } catch (IllegalArgumentException e) {
            if (!hasLineBreaks()) {
                throw e;
            }
            out = Base64.getDecoder().decode(ByteBuffer.wrap(withoutLineBreaks()));
        }
        // The decoder sizes its array exactly for padded input: no second copy of the image then.
        if (out.hasArray() && out.arrayOffset() == 0 && out.position() == 0 && out.remaining() == out.array().length) {
            return out.array();
        }
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private boolean hasLineBreaks() {
        for (int i = offset; i < offset + length; i++) {
            if (buffer[i] == '\n' || buffer[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private byte[] withoutLineBreaks() {
        byte[] out = new byte[length];
        int n = 0;
        for (int i = offset; i < offset + length; i++) {
            if (buffer[i] != '\n' && buffer[i] != '\r') {
                out[n++] = buffer[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Writes the text as a JSON string without copying or re-encoding it (base64 needs no
     * escaping); anything else in it (line breaks) goes through the generator's escaping.
     */
    public void writeJsonString(JsonGenerator gen) throws IOException {
        if (jsonText) {
            plain().writeJsonString(gen);
            return;
        }
        if (clean) {
            gen.writeRawUTF8String(buffer, offset, length);
            return;
        }
        for (int i = offset; i < offset + length; i++) {
            byte b = buffer[i];
            if (b < 0x20 || b == '"' || b == '\\') {
                gen.writeString(toString()); // not plain base64 (line breaks): let the generator escape
                return;
            }
        }
        gen.writeRawUTF8String(buffer, offset, length);
    }

    /** Same text, wherever it lies: for comparing models (a read frame against a written one). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Base64Image other)) {
            return false;
        }
        Base64Image a = readable();
        Base64Image b = other.readable();
        return java.util.Arrays.equals(
                a.buffer, a.offset, a.offset + a.length, b.buffer, b.offset, b.offset + b.length);
    }

    @Override
    public int hashCode() {
        Base64Image a = readable();
        int h = 1;
        for (int i = a.offset; i < a.offset + a.length; i++) {
            h = 31 * h + a.buffer[i];
        }
        return h;
    }

    /** The text, escapes resolved (as received when one is invalid). */
    @Override
    public String toString() {
        Base64Image a = readable();
        return new String(a.buffer, a.offset, a.length, StandardCharsets.US_ASCII);
    }

    /** The text with its escapes resolved, or as received when one is invalid. */
    private Base64Image readable() {
        try {
            return plain();
        } catch (IllegalArgumentException e) {
            return new Base64Image(buffer, offset, length);
        }
    }
}
