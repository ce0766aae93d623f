package sophon.bridge.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data dir: an exclusive lock on {@code <data-dir>/lock}, held for the server's
 * life and released by the kernel when the process dies (so a kill -9 or a power cut never leaves
 * a stale lock). A second server would stop the first one's children at its recovery and both
 * would then write one database. The file holds the owner's pid, for the refusal message.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE = "lock";

    private final Path dataDir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path dataDir, FileChannel channel, FileLock lock) {
        this.dataDir = dataDir;
        this.channel = channel;
        this.lock = lock;
    }

    /** The data dir as a real path (symlinks resolved), created when missing. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Takes the lock, creating the data dir when missing; the data dir is compared as a real
     * path, so a symlink to it is the same data dir.
     *
     * @throws InUseException when another process holds it
     */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path real = dataDir.toRealPath();
        Path file = real.resolve(FILE);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String owner = readOwner(channel);
            channel.close();
            throw new InUseException("data dir " + real + " is in use by pid " + owner);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        return new DataDirLock(real, channel, lock);
    }

    private static String readOwner(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? "(unknown)" : text;
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The kernel releases it with the process anyway.
        }
    }

    /** Another server holds the data dir. */
    public static final class InUseException extends IOException {
        public InUseException(String message) {
            super(message);
        }
    }
}
