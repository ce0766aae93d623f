package sophon.bridge.alarm;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageInputStream over a byte array, without the copy into cache blocks that ImageIO's
 * stream over a ByteArrayInputStream makes (a second 200 KB copy of every alarming frame).
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    private final byte[] bytes;

    ByteArrayImageInputStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", array of " + b.length);
        }
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(len, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
