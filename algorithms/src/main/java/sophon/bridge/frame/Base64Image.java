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
 */
public final class Base64Image {
    private static final byte[] JPEG_PREFIX = "/9j/".getBytes(StandardCharsets.US_ASCII);

    private final byte[] buffer;
    private final int offset;
    private final int length;

    public Base64Image(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    public static Base64Image of(String base64) {
        byte[] b = base64.getBytes(StandardCharsets.US_ASCII);
        return new Base64Image(b, 0, b.length);
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** The same text in its own array: for keeping beyond the life of a reused request buffer. */
    public Base64Image copy() {
        return new Base64Image(java.util.Arrays.copyOfRange(buffer, offset, offset + length), 0, length);
    }

    /** Cheap check: standard base64 of a JPEG (FF D8 FF) always starts with "/9j/". */
    public boolean looksLikeJpeg() {
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
     * The image bytes; throws IllegalArgumentException when the text is not standard base64.
     * Line breaks (some encoders wrap at 76 columns) are allowed, as application-web's Go
     * decoder allows them.
     */
    public byte[] decode() {
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
        return o instanceof Base64Image b
                && java.util.Arrays.equals(buffer, offset, offset + length, b.buffer, b.offset, b.offset + b.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + buffer[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return new String(buffer, offset, length, StandardCharsets.US_ASCII);
    }
}
