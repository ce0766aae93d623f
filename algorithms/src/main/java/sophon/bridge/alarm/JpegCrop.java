package sophon.bridge.alarm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import sophon.bridge.frame.Box;

/**
 * Lossless crops of a baseline JPEG in the DCT domain, like {@code jpegtran -crop}: the scan is
 * entropy-decoded only up to the last MCU a crop needs, and each crop is written as a new baseline
 * JPEG from the quantized coefficients of its blocks, so it costs no IDCT, colour conversion, DCT
 * or second quantization, and loses nothing.
 *
 * <p>A crop holds whole MCUs (8·Hmax by 8·Vmax pixels for an interleaved scan, 8×8 for a
 * single-component image): its left and top edges are rounded down to that grid, see
 * {@link #aligned}; its right and bottom edges stay where asked, the blocks past them only padding.
 *
 * <p>Handled: 8-bit baseline and extended-sequential Huffman JPEGs whose 1 to 4 components share
 * one interleaved scan, with or without restart markers. Every other kind (progressive,
 * arithmetic-coded, lossless, 12-bit, components in separate scans, DNL-defined height, 16-bit
 * quantization tables, Huffman tables with symbols an 8-bit baseline stream cannot have) is
 * reported as {@link Optional#empty()}, for the caller to use a full decoder. Data that is not a
 * JPEG, truncated or corrupt (in the headers, or in the scan before the last MCU a crop needs)
 * throws an {@link IOException} saying where.
 *
 * <p>The crops keep the source's component ids, sampling factors and quantization tables, and its
 * JFIF (without thumbnail) and Adobe segments, which say how to read the colour; they are coded
 * with the standard Huffman tables of JPEG Annex K.3, which have a code for every symbol an 8-bit
 * baseline scan can hold. A parsed instance is immutable: it may crop any number of times, from
 * any thread.
 */
final class JpegCrop {
    /** Code bits resolved by one table lookup; longer codes take the slow path. */
    private static final int LOOKAHEAD = 9;

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int RST0 = 0xD0;
    private static final int SOS = 0xDA;

    private static final int[] DC_LUMA = codes(JPEGHuffmanTable.StdDCLuminance, false);
    private static final int[] AC_LUMA = codes(JPEGHuffmanTable.StdACLuminance, true);
    private static final int[] DC_CHROMA = codes(JPEGHuffmanTable.StdDCChrominance, false);
    private static final int[] AC_CHROMA = codes(JPEGHuffmanTable.StdACChrominance, true);
    private static final byte[] DHT_LUMA = dht(0, JPEGHuffmanTable.StdDCLuminance, JPEGHuffmanTable.StdACLuminance);
    private static final byte[] DHT_CHROMA =
            dht(1, JPEGHuffmanTable.StdDCChrominance, JPEGHuffmanTable.StdACChrominance);

    private final byte[] jpeg;
    private final int width;
    private final int height;
    /** SOI, JFIF, Adobe and DQT segments: what every crop starts with. */
    private final byte[] prefix;
    /** Frame components in scan order (the standard requires the frame's order). */
    private final Component[] components;

    private final int mcuWidth;
    private final int mcuHeight;
    private final int mcuColumns;
    private final int restartInterval;
    private final int scanStart;

    private record Component(int id, int h, int v, int quantTable, int blocks, Huffman dc, Huffman ac) {}

    private JpegCrop(
            byte[] jpeg,
            int width,
            int height,
            byte[] prefix,
            Component[] components,
            int mcuWidth,
            int mcuHeight,
            int restartInterval,
            int scanStart) {
        this.jpeg = jpeg;
        this.width = width;
        this.height = height;
        this.prefix = prefix;
        this.components = components;
        this.mcuWidth = mcuWidth;
        this.mcuHeight = mcuHeight;
        this.mcuColumns = (width + mcuWidth - 1) / mcuWidth;
        this.restartInterval = restartInterval;
        this.scanStart = scanStart;
    }

    /**
     * Crops of each region of jpeg (see {@link #crop(List)}), or empty when jpeg is of a kind this
     * class does not handle.
     *
     * @throws IOException when jpeg is not a JPEG, or is truncated or corrupt before the last MCU
     *     the regions need
     */
    static Optional<List<byte[]>> crop(byte[] jpeg, List<Box> regions) throws IOException {
        Optional<JpegCrop> source = parse(jpeg);
        return source.isPresent() ? Optional.of(source.get().crop(regions)) : Optional.empty();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /**
     * What a crop of region covers: the region clipped to the image, its left and top rounded
     * down to the MCU grid; null when nothing of it lies inside the image.
     */
    Box aligned(Box region) {
        long x1 = Math.max(0, region.x());
        long y1 = Math.max(0, region.y());
        long x2 = Math.min(width, (long) region.x() + region.width());
        long y2 = Math.min(height, (long) region.y() + region.height());
        if (x2 <= x1 || y2 <= y1) {
            return null;
        }
        int x = (int) x1 / mcuWidth * mcuWidth;
        int y = (int) y1 / mcuHeight * mcuHeight;
        return new Box(x, y, (int) x2 - x, (int) y2 - y);
    }

    /**
     * One baseline JPEG per region, covering {@link #aligned aligned(region)}; null for a null
     * region or one outside the image.
     *
     * @throws IOException when the scan is truncated or corrupt before the last MCU the regions
     *     need (what comes after it is never read)
     */
    List<byte[]> crop(List<Box> regions) throws IOException {
        Out[] outs = new Out[regions.size()];
        int last = -1;
        for (int i = 0; i < outs.length; i++) {
            Box r = regions.get(i) == null ? null : aligned(regions.get(i));
            if (r != null) {
                outs[i] = new Out(this, r);
                last = Math.max(last, (outs[i].row1 - 1) * mcuColumns + outs[i].column1 - 1);
            }
        }
        if (last >= 0) {
            decode(outs, last);
        }
        List<byte[]> crops = new ArrayList<>(outs.length);
        for (Out o : outs) {
            crops.add(o == null ? null : o.finish());
        }
        return crops;
    }

    /** Decodes the scan up to MCU last, writing the blocks of each region's MCUs to its output. */
    private void decode(Out[] outs, int last) throws IOException {
        Reader in = new Reader(jpeg, scanStart);
        int[] predictions = new int[components.length];
        int[] symbols = new int[64];
        Out[] targets = new Out[outs.length];
        int restarts = 0;
        for (int m = 0; m <= last; m++) {
            if (restartInterval > 0 && m % restartInterval == 0) {
                if (m > 0) {
                    in.restart(restarts++);
                }
                // an interval no crop needs is passed over by its restart marker, without decoding
                while (m + restartInterval <= last && !needed(outs, m, m + restartInterval)) {
                    in.restart(restarts++);
                    m += restartInterval;
                }
                Arrays.fill(predictions, 0);
            }
            int row = m / mcuColumns;
            int column = m - row * mcuColumns;
            int n = 0;
            for (Out o : outs) {
                if (o != null && o.covers(row, column)) {
                    targets[n++] = o;
                }
            }
            if (n == 0) {
                in.skipMcu(components, predictions);
            } else {
                for (int c = 0; c < components.length; c++) {
                    Component component = components[c];
                    for (int b = 0; b < component.blocks; b++) {
                        predictions[c] += in.decodeBlock(component.dc, component.ac, symbols);
                        for (int t = 0; t < n; t++) {
                            targets[t].writeBlock(c, predictions[c], symbols, in.count);
                        }
                    }
                }
            }
            in.checkInData(m);
        }
    }

    /** Whether any output covers an MCU in [from, to) of the scan's raster order. */
    private boolean needed(Out[] outs, int from, int to) {
        for (Out o : outs) {
            if (o == null) {
                continue;
            }
            for (int row = Math.max(o.row0, from / mcuColumns); row < o.row1 && row * mcuColumns < to; row++) {
                int start = Math.max(from, row * mcuColumns + o.column0);
                int end = Math.min(to, row * mcuColumns + o.column1);
                if (start < end) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Reads jpeg's headers up to its first scan; empty when it is of a kind this class does not
     * handle.
     *
     * @throws IOException when jpeg is not a JPEG, or its headers are truncated or corrupt
     */
    static Optional<JpegCrop> parse(byte[] jpeg) throws IOException {
        if (jpeg.length < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != SOI) {
            throw new IOException("not a JPEG: no SOI marker");
        }
        ByteArrayOutputStream app = new ByteArrayOutputStream();
        ByteArrayOutputStream dqt = new ByteArrayOutputStream();
        boolean[] quantDefined = new boolean[4];
        Huffman[] dcTables = new Huffman[4];
        Huffman[] acTables = new Huffman[4];
        int[][] frame = null; // per component: id, h, v, quantization table
        int width = 0;
        int height = 0;
        int restartInterval = 0;
        int p = 2;
        while (true) {
            if (p >= jpeg.length || u8(jpeg, p) != 0xFF) {
                throw new IOException(p >= jpeg.length ? "JPEG ends before its scan" : "no JPEG marker at offset " + p);
            }
            while (p < jpeg.length && u8(jpeg, p) == 0xFF) {
                p++;
            }
            if (p >= jpeg.length) {
                throw new IOException("JPEG ends before its scan");
            }
            int marker = u8(jpeg, p++);
            if (marker == 0x01 || (marker >= RST0 && marker < RST0 + 8)) {
                continue; // no segment follows: TEM, stray restart markers
            }
            if (marker == SOI || marker == EOI) {
                throw new IOException("JPEG has " + (marker == SOI ? "a second SOI" : "EOI") + " before its scan");
            }
            if (p + 2 > jpeg.length || p + u16(jpeg, p) > jpeg.length || u16(jpeg, p) < 2) {
                throw new IOException(
                        String.format("JPEG marker %02X at offset %d: truncated or corrupt segment", marker, p - 2));
            }
            int body = p + 2;
            int end = p + u16(jpeg, p);
            p = end;
            if (marker == 0xE0 && startsWith(jpeg, body, end, "JFIF\0") && end - body >= 14) {
                // the density as given, without the thumbnail of the whole image
                app.write(new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 16}, 0, 4);
                app.write(jpeg, body, 12);
                app.write(new byte[] {0, 0}, 0, 2);
            } else if (marker == 0xEE && startsWith(jpeg, body, end, "Adobe") && end - body >= 12) {
                app.write(jpeg, body - 4, end - body + 4);
            } else if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
                continue; // other application data and comments do not change the pixels
            } else if (marker == 0xDB) {
                for (int q = body; q < end; q += 65) {
                    if (u8(jpeg, q) >> 4 != 0) {
                        return Optional.empty(); // 16-bit tables: not allowed in a baseline crop
                    }
                    if ((u8(jpeg, q) & 15) > 3 || q + 65 > end) {
                        throw new IOException("JPEG has a corrupt DQT segment at offset " + (body - 4));
                    }
                    quantDefined[u8(jpeg, q) & 15] = true;
                }
                dqt.write(jpeg, body - 4, end - body + 4);
            } else if (marker == 0xC4) {
                for (int q = body; q < end; ) {
                    int table = u8(jpeg, q) & 15;
                    boolean ac = u8(jpeg, q) >> 4 == 1;
                    if (u8(jpeg, q) >> 4 > 1 || table > 3 || q + 17 > end) {
                        throw new IOException("JPEG has a corrupt DHT segment at offset " + (body - 4));
                    }
                    int count = 0;
                    for (int i = 1; i <= 16; i++) {
                        count += u8(jpeg, q + i);
                    }
                    if (count > 256 || q + 17 + count > end) {
                        throw new IOException("JPEG has a corrupt DHT segment at offset " + (body - 4));
                    }
                    (ac ? acTables : dcTables)[table] = Huffman.of(jpeg, q + 1, ac);
                    q += 17 + count;
                }
            } else if (marker == 0xC0 || marker == 0xC1) {
                if (end - body < 6 || end - body < 6 + 3 * u8(jpeg, body + 5)) {
                    throw new IOException("JPEG has a corrupt SOF segment at offset " + (body - 4));
                }
                height = u16(jpeg, body + 1);
                width = u16(jpeg, body + 3);
                int count = u8(jpeg, body + 5);
                if (u8(jpeg, body) != 8 || height == 0 || count < 1 || count > 4) {
                    return Optional.empty(); // 12-bit, height in a DNL marker, more than 4 components
                }
                if (width == 0 || frame != null) {
                    throw new IOException("JPEG has a corrupt SOF segment at offset " + (body - 4));
                }
                frame = new int[count][];
                for (int i = 0; i < count; i++) {
                    int q = body + 6 + 3 * i;
                    int h = u8(jpeg, q + 1) >> 4;
                    int v = u8(jpeg, q + 1) & 15;
                    if (h < 1 || h > 4 || v < 1 || v > 4 || u8(jpeg, q + 2) > 3) {
                        throw new IOException("JPEG has a corrupt SOF segment at offset " + (body - 4));
                    }
                    frame[i] = new int[] {u8(jpeg, q), h, v, u8(jpeg, q + 2)};
                }
            } else if (marker == 0xDD) {
                if (end - body != 2) {
                    throw new IOException("JPEG has a corrupt DRI segment at offset " + (body - 4));
                }
                restartInterval = u16(jpeg, body);
            } else if (marker == SOS) {
                Component[] components = scan(jpeg, body, end, frame, quantDefined, dcTables, acTables);
                if (components == null) {
                    return Optional.empty();
                }
                boolean one = components.length == 1;
                return Optional.of(new JpegCrop(
                        jpeg,
                        width,
                        height,
                        concat(app, dqt),
                        components,
                        one ? 8 : 8 * max(components, true),
                        one ? 8 : 8 * max(components, false),
                        restartInterval,
                        end));
            } else {
                return Optional.empty(); // another coding process, DNL, hierarchical or unknown markers
            }
        }
    }

    /** The frame's components in the order of the scan starting at body; null when unsupported. */
    private static Component[] scan(
            byte[] jpeg,
            int body,
            int end,
            int[][] frame,
            boolean[] quantDefined,
            Huffman[] dcTables,
            Huffman[] acTables)
            throws IOException {
        if (frame == null) {
            throw new IOException("JPEG has no SOF0 or SOF1 segment before its scan");
        }
        int count = u8(jpeg, body);
        if (end - body != 4 + 2 * count || count < 1) {
            throw new IOException("JPEG has a corrupt SOS segment at offset " + (body - 4));
        }
        int q = body + 1 + 2 * count;
        if (count != frame.length || u8(jpeg, q) != 0 || u8(jpeg, q + 1) != 63 || u8(jpeg, q + 2) != 0) {
            return null; // components in separate scans, or not a sequential scan
        }
        Component[] components = new Component[count];
        for (int i = 0; i < count; i++) {
            int id = u8(jpeg, body + 1 + 2 * i);
            int tables = u8(jpeg, body + 2 + 2 * i);
            int[] f = Arrays.stream(frame).filter(c -> c[0] == id).findFirst().orElse(null);
            Huffman dc = (tables >> 4) > 3 ? null : dcTables[tables >> 4];
            Huffman ac = (tables & 15) > 3 ? null : acTables[tables & 15];
            if (f == null || dc == null || ac == null || !quantDefined[f[3]]) {
                throw new IOException("JPEG scan component " + id + " has no frame component or no table");
            }
            if (!dc.baseline || !ac.baseline) {
                return null;
            }
            components[i] = new Component(id, f[1], f[2], f[3], count == 1 ? 1 : f[1] * f[2], dc, ac);
        }
        if (Arrays.stream(components).mapToInt(Component::blocks).sum() > 10) {
            return null; // more blocks per MCU than the standard allows
        }
        return components;
    }

    private static int max(Component[] components, boolean horizontal) {
        return Arrays.stream(components)
                .mapToInt(c -> horizontal ? c.h : c.v)
                .max()
                .orElse(1);
    }

    private static byte[] concat(ByteArrayOutputStream a, ByteArrayOutputStream b) {
        ByteArrayOutputStream all = new ByteArrayOutputStream(2 + a.size() + b.size());
        all.write(0xFF);
        all.write(SOI);
        all.writeBytes(a.toByteArray());
        all.writeBytes(b.toByteArray());
        return all.toByteArray();
    }

    private static boolean startsWith(byte[] data, int from, int end, String prefix) {
        if (end - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] data, int at) {
        return data[at] & 0xFF;
    }

    private static int u16(byte[] data, int at) {
        return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
    }

    /** A DHT segment holding one DC and one AC table, both numbered table. */
    private static byte[] dht(int table, JPEGHuffmanTable dc, JPEGHuffmanTable ac) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = 2 + 2 * 17 + dc.getValues().length + ac.getValues().length;
        out.write(0xFF);
        out.write(0xC4);
        out.write(length >> 8);
        out.write(length);
        for (JPEGHuffmanTable t : new JPEGHuffmanTable[] {dc, ac}) {
            out.write((t == ac ? 0x10 : 0) | table);
            for (short n : t.getLengths()) {
                out.write(n);
            }
            for (short v : t.getValues()) {
                out.write(v);
            }
        }
        return out.toByteArray();
    }

    /** A Huffman table for decoding. */
    private static final class Huffman {
        /** By the next LOOKAHEAD bits: the {@link #entry} of their code, 0 for a longer code. */
        final int[] fast = new int[1 << LOOKAHEAD];
        /** By code length: the largest code, -1 when none. */
        final int[] maxCode = new int[18];
        /** By code length: the index in symbols of the code 0 of that length. */
        final int[] offset = new int[17];

        final int[] symbols;
        final boolean ac;
        /** Whether every symbol is one an 8-bit baseline scan can hold (so the standard tables code it). */
        final boolean baseline;

        private Huffman(int[] symbols, boolean ac, boolean baseline) {
            this.symbols = symbols;
            this.ac = ac;
            this.baseline = baseline;
        }

        /**
         * What decoding a code of length and its symbol needs in one int: the symbol, the code
         * length, the bits taken by the code and the value after it, and for AC how far the
         * symbol moves in the block (64 for EOB, which ends it whatever the position).
         */
        static int entry(int length, int symbol, boolean ac) {
            int size = ac ? symbol & 15 : symbol;
            int step = !ac ? 0 : size != 0 ? (symbol >>> 4) + 1 : symbol == 0xF0 ? 16 : 64;
            return step << 24 | (length + size) << 16 | length << 8 | symbol;
        }

        /** The table whose 16 code counts start at data[at], its symbols following them. */
        static Huffman of(byte[] data, int at, boolean ac) throws IOException {
            int count = 0;
            for (int i = 0; i < 16; i++) {
                count += u8(data, at + i);
            }
            int[] symbols = new int[count];
            boolean baseline = true;
            for (int i = 0; i < count; i++) {
                int s = u8(data, at + 16 + i);
                if (ac && (s & 15) == 0 && s != 0xF0) {
                    s = 0; // decoders end the block at any run with size 0 but ZRL: so does the crop
                }
                baseline &= ac ? (s & 15) <= 10 : s <= 11;
                symbols[i] = s;
            }
            Huffman t = new Huffman(symbols, ac, baseline);
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++) {
                int n = u8(data, at + length - 1);
                t.offset[length] = k - code;
                t.maxCode[length] = n == 0 ? -1 : code + n - 1;
                for (int i = 0; i < n; i++, k++, code++) {
                    if (code >= 1 << length) {
                        throw new IOException("JPEG has a Huffman table with more codes than fit their lengths");
                    }
                    if (length <= LOOKAHEAD) {
                        int shift = LOOKAHEAD - length;
                        Arrays.fill(t.fast, code << shift, (code + 1) << shift, entry(length, symbols[k], ac));
                    }
                }
                code <<= 1;
            }
            t.maxCode[17] = Integer.MAX_VALUE;
            return t;
        }
    }

    /** The bits of the scan: reads past markers and the data's end as zeros, as decoders do. */
    private static final class Reader {
        private final byte[] data;
        private int pos;
        /** Unread bits, first at the top. */
        private long buffer;
        /** Number of bits in buffer, padding included. */
        private int bits;
        /** Number of zero bits at the end of buffer that are padding, not data. */
        private int padding;
        /** AC symbols of the last block decoded with a symbol array. */
        int count;

        Reader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        /**
         * Decodes one block and returns its DC difference; stores its AC symbols in symbols
         * (symbol << 16 | value bits, EOB included) and their number in count.
         */
        int decodeBlock(Huffman dcTable, Huffman acTable, int[] symbols) throws IOException {
            // the bit buffer in locals and the table lookups inline: C1 keeps locals in registers
            // and does not inline a method this size
            long buf = buffer;
            int n = bits;
            if (n < 32) {
                buf = fill(buf, n);
                n = bits;
            }
            int entry = dcTable.fast[(int) (buf >>> (64 - LOOKAHEAD))];
            if (entry == 0) {
                entry = slow(dcTable, buf, n);
            }
            int total = entry >>> 16 & 31;
            int diff = extend((int) (buf >>> (64 - total)), entry & 15);
            buf <<= total;
            n -= total;
            // each AC code and its value taken in one shift; EOB moves k past the block's end
            int[] fast = acTable.fast;
            int count = 0;
            for (int k = 1; k < 64; ) {
                if (n < 32) {
                    buf = fill(buf, n);
                    n = bits;
                }
                entry = fast[(int) (buf >>> (64 - LOOKAHEAD))];
                if (entry == 0) {
                    entry = slow(acTable, buf, n);
                }
                total = entry >>> 16 & 31;
                symbols[count++] = (entry & 0xFF) << 16 | (int) (buf >>> (64 - total)) & ((1 << (entry & 15)) - 1);
                buf <<= total;
                n -= total;
                k += entry >>> 24;
                if (k > 64 && (entry & 15) != 0) {
                    bits = n;
                    throw error("a block with more than 64 coefficients");
                }
            }
            buffer = buf;
            bits = n;
            this.count = count;
            return diff;
        }

        /**
         * Decodes the blocks of an MCU no crop needs, adding their DC differences to predictions:
         * the hot loop when crops are small, so one call for all its blocks.
         */
        void skipMcu(Component[] components, int[] predictions) throws IOException {
            long buf = buffer;
            int n = bits;
            for (int c = 0; c < components.length; c++) {
                Component component = components[c];
                int[] dcFast = component.dc.fast;
                int[] fast = component.ac.fast;
                for (int b = component.blocks; b > 0; b--) {
                    if (n < 32) {
                        buf = fill(buf, n);
                        n = bits;
                    }
                    int entry = dcFast[(int) (buf >>> (64 - LOOKAHEAD))];
                    if (entry == 0) {
                        entry = slow(component.dc, buf, n);
                    }
                    int total = entry >>> 16 & 31;
                    predictions[c] += extend((int) (buf >>> (64 - total)), entry & 15);
                    buf <<= total;
                    n -= total;
                    for (int k = 1; k < 64; ) {
                        if (n < 32) {
                            buf = fill(buf, n);
                            n = bits;
                        }
                        entry = fast[(int) (buf >>> (64 - LOOKAHEAD))];
                        if (entry == 0) {
                            entry = slow(component.ac, buf, n);
                        }
                        total = entry >>> 16 & 31;
                        buf <<= total;
                        n -= total;
                        k += entry >>> 24;
                    }
                }
            }
            buffer = buf;
            bits = n;
        }

        /** The DC difference whose size category and value bits end bits (JPEG's EXTEND). */
        private static int extend(int bits, int size) {
            int value = bits & ((1 << size) - 1);
            return size == 0 || value >= 1 << (size - 1) ? value : value - (1 << size) + 1;
        }

        /** The {@link Huffman#entry} of a code longer than LOOKAHEAD at the top of buf. */
        private int slow(Huffman table, long buf, int n) throws IOException {
            int code16 = (int) (buf >>> 48);
            int length = LOOKAHEAD + 1;
            while ((code16 >>> (16 - length)) > table.maxCode[length]) {
                length++;
            }
            if (length > 16) {
                bits = n;
                throw error("an invalid Huffman code");
            }
            return Huffman.entry(length, table.symbols[table.offset[length] + (code16 >>> (16 - length))], table.ac);
        }

        /** buf (holding n < 32 bits) topped up to at least 32 bits; their number goes to bits. */
        private long fill(long buf, int n) {
            int p = pos;
            if (p + 4 <= data.length && padding == 0) {
                int word = (data[p] & 0xFF) << 24
                        | (data[p + 1] & 0xFF) << 16
                        | (data[p + 2] & 0xFF) << 8
                        | (data[p + 3] & 0xFF);
                int inverted = ~word;
                if (((inverted - 0x01010101) & ~inverted & 0x80808080) == 0) { // no 0xFF byte: no stuffing, no marker
                    pos = p + 4;
                    bits = n + 32;
                    return buf | (word & 0xFFFFFFFFL) << (32 - n);
                }
            }
            while (n <= 56) {
                int b = 0;
                if (padding == 0 && pos < data.length) {
                    b = data[pos] & 0xFF;
                    if (b != 0xFF) {
                        pos++;
                    } else if (pos + 1 < data.length && data[pos + 1] == 0) {
                        pos += 2;
                    } else {
                        b = 0;
                        padding += 8;
                    }
                } else {
                    padding += 8;
                }
                buf |= (long) b << (56 - n);
                n += 8;
            }
            bits = n;
            return buf;
        }

        /** Throws if MCU m took bits past the scan's data. */
        void checkInData(int m) throws IOException {
            if (bits < padding) {
                throw error("data for MCU " + m);
            }
        }

        /** Skips to the restart marker after the current interval, number n (counting from 0). */
        void restart(int n) throws IOException {
            buffer = 0;
            bits = 0;
            padding = 0;
            for (; pos + 1 < data.length; pos++) {
                int next = data[pos + 1] & 0xFF;
                if (data[pos] == (byte) 0xFF && next != 0 && next != 0xFF) {
                    if (next != RST0 + (n & 7)) {
                        throw new IOException(String.format(
                                "JPEG scan has marker %02X at offset %d where RST%d was due", next, pos, n & 7));
                    }
                    pos += 2;
                    return;
                }
            }
            throw new IOException("JPEG scan ends before restart marker RST" + (n & 7));
        }

        private IOException error(String what) {
            if (bits < padding) {
                return new IOException(
                        pos >= data.length
                                ? "JPEG scan ends before the " + what
                                : "JPEG scan is cut by a marker at offset " + pos + " before the " + what);
            }
            return new IOException("JPEG scan has " + what + " before offset " + pos);
        }
    }

    /**
     * By symbol, its code in table followed by room for the value bits the symbol announces:
     * (code << size) << 5 | code length + size, where size is the symbol's low 4 bits (AC) or the
     * symbol (DC); at most 26 bits of code and value.
     */
    private static int[] codes(JPEGHuffmanTable table, boolean ac) {
        int[] codes = new int[256];
        short[] counts = table.getLengths();
        short[] symbols = table.getValues();
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++) {
            for (int i = 0; i < counts[length - 1]; i++, k++, code++) {
                int size = ac ? symbols[k] & 15 : symbols[k];
                codes[symbols[k]] = (code << size) << 5 | (length + size);
            }
            code <<= 1;
        }
        return codes;
    }

    /** One crop being written: its MCU range in the source and its bytes so far. */
    private static final class Out {
        final int column0;
        final int column1;
        final int row0;
        final int row1;
        /** Per component, its DC and AC codes as {@link JpegCrop#codes} gives them. */
        private final int[][] dc;

        private final int[][] ac;
        /** The last DC value per component, which the next block's is coded against. */
        private final int[] predictions;

        private byte[] bytes;
        private int size;
        private long bitBuffer;
        private int bitCount;

        Out(JpegCrop source, Box r) {
            Component[] components = source.components;
            column0 = r.x() / source.mcuWidth;
            row0 = r.y() / source.mcuHeight;
            column1 = (r.right() + source.mcuWidth - 1) / source.mcuWidth;
            row1 = (r.bottom() + source.mcuHeight - 1) / source.mcuHeight;
            dc = new int[components.length][];
            ac = new int[components.length][];
            predictions = new int[components.length];
            long mcus = (long) source.mcuColumns * ((source.height + source.mcuHeight - 1) / source.mcuHeight);
            long guess = source.jpeg.length * (long) (column1 - column0) * (row1 - row0) / mcus;
            bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 16, guess + guess / 4 + source.prefix.length + 2048)];
            write(source.prefix);
            write(0xFF, 0xC0, 0, 8 + 3 * components.length, 8, r.height() >> 8, r.height(), r.width() >> 8, r.width());
            write(components.length);
            for (Component c : components) {
                write(c.id, c.h << 4 | c.v, c.quantTable);
            }
            write(DHT_LUMA);
            if (components.length > 1) {
                write(DHT_CHROMA);
            }
            write(0xFF, SOS, 0, 6 + 2 * components.length, components.length);
            for (int i = 0; i < components.length; i++) {
                write(components[i].id, i == 0 ? 0x00 : 0x11);
                dc[i] = i == 0 ? DC_LUMA : DC_CHROMA;
                ac[i] = i == 0 ? AC_LUMA : AC_CHROMA;
            }
            write(0, 63, 0);
        }

        boolean covers(int row, int column) {
            return row >= row0 && row < row1 && column >= column0 && column < column1;
        }

        /** Appends a block of component c with DC value dcValue and AC symbols as the reader gives them. */
        void writeBlock(int c, int dcValue, int[] symbols, int count) throws IOException {
            if (size + 1024 > bytes.length) { // a block takes at most 64 codes of 26 bits, stuffed
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            int diff = dcValue - predictions[c];
            predictions[c] = dcValue;
            int category = 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
            if (category > 11) {
                throw new IOException("JPEG scan has a DC value out of the 8-bit range");
            }
            // the bit buffer in locals and put inline, as in the reader
            byte[] out = bytes;
            int at = size;
            long buffer = bitBuffer;
            int n = bitCount;
            int[] codes = ac[c];
            int code = dc[c][category];
            int value = (code >>> 5) | ((diff < 0 ? diff - 1 : diff) & ((1 << category) - 1));
            for (int i = -1; i < count; i++) {
                if (i >= 0) {
                    code = codes[symbols[i] >>> 16];
                    value = (code >>> 5) | (symbols[i] & 0xFFFF);
                }
                buffer = buffer << (code & 31) | value;
                n += code & 31;
                if (n >= 32) {
                    do {
                        n -= 8;
                        int b = (int) (buffer >>> n) & 0xFF;
                        out[at++] = (byte) b;
                        if (b == 0xFF) {
                            out[at++] = 0;
                        }
                    } while (n >= 8);
                }
            }
            size = at;
            bitBuffer = buffer;
            bitCount = n;
        }

        byte[] finish() {
            if (bitCount % 8 != 0) {
                int pad = 8 - bitCount % 8;
                bitBuffer = bitBuffer << pad | ((1 << pad) - 1);
                bitCount += pad;
            }
            flush();
            write(0xFF, EOI);
            return Arrays.copyOf(bytes, size);
        }

        private void flush() {
            while (bitCount >= 8) {
                bitCount -= 8;
                int b = (int) (bitBuffer >>> bitCount) & 0xFF;
                bytes[size++] = (byte) b;
                if (b == 0xFF) {
                    bytes[size++] = 0;
                }
            }
        }

        private void write(byte[] b) {
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        private void write(int... b) {
            for (int x : b) {
                bytes[size++] = (byte) x;
            }
        }
    }
}
