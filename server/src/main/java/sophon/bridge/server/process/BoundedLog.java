package sophon.bridge.server.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A child's log file that never grows past {@code 2 × cap}: when the file reaches the cap it
 * becomes {@code <name>.1} (replacing the previous one) and a fresh file starts. A box runs for
 * months; an unbounded stream.log would fill its eMMC.
 */
public final class BoundedLog extends OutputStream {
    private final Path file;
    private final Path rotated;
    private final long cap;
    private OutputStream out;
    private long size;

    public BoundedLog(Path file, long cap) throws IOException {
        this.file = file;
        this.rotated = file.resolveSibling(file.getFileName() + ".1");
        this.cap = cap;
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (size + len > cap && size > 0) {
            rotate();
        }
        out.write(b, off, len);
        size += len;
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    /** Writes one line (a child's, already masked, or the server's own start/stop markers) and flushes. */
    public synchronized void note(String line) {
        try {
            write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // A note is a courtesy; the child's own output matters more than ours.
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** The last {@code lines} lines of a log file (reads at most the last 16 KiB). */
    public static List<String> tail(Path file, int lines) {
        List<String> result = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return result;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int chunk = (int) Math.min(length, 16 * 1024);
            byte[] buf = new byte[chunk];
            raf.seek(length - chunk);
            raf.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\\r?\\n");
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                if (!all[i].isBlank()) {
                    result.add(all[i]);
                }
            }
        } catch (IOException ignored) {
            // No tail is better than a failed state change.
        }
        return result;
    }
}
