package sophon.bridge.server.task;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.files.FileTrees;

/**
 * The children's logs of deleted tasks, kept for a post-mortem in
 * {@code <data-dir>/deleted/<TaskID>-<UTC time>/<n>-<algorithm>/}: the last {@link #PER_LOG_BYTES}
 * of each log (its {@code .1} file included), at most {@link #KEEP_TASKS} tasks and
 * {@link #KEEP_BYTES} in all, the oldest removed first. Only logs: task.json and the configs hold
 * the camera's password, the logs are masked.
 */
public final class DeletedLogs {
    private static final Logger log = LoggerFactory.getLogger(DeletedLogs.class);
    static final int KEEP_TASKS = 20;
    static final long KEEP_BYTES = 64L * 1024 * 1024;
    /** Per log: a task of 8 entries (16 logs) then still fits {@link #KEEP_BYTES}. */
    static final long PER_LOG_BYTES = 2L * 1024 * 1024;

    private static final int NAME_MAX_BYTES = 255;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> LOGS = List.of(EntryPlan.BUSINESS_LOGIC_LOG, EntryPlan.STREAM_LOG);

    private final Path dir;
    private final int keepTasks;
    private final long keepBytes;
    private final long perLogBytes;

    public DeletedLogs(Path dir) {
        this(dir, KEEP_TASKS, KEEP_BYTES, PER_LOG_BYTES);
    }

    DeletedLogs(Path dir, int keepTasks, long keepBytes, long perLogBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.keepTasks = keepTasks;
        this.keepBytes = keepBytes;
        this.perLogBytes = perLogBytes;
    }

    public Path dir() {
        return dir;
    }

    /** Keeps the logs under {@code taskDir} (about to be removed), then prunes; never throws. */
    public synchronized void keep(String taskId, Path taskDir) {
        try {
            if (!Files.isDirectory(taskDir)) {
                return;
            }
            Path target = folderFor(taskId, Instant.now());
            boolean any = false;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(taskDir, Files::isDirectory)) {
                for (Path entry : entries) {
                    for (String name : LOGS) {
                        any |= copyTail(
                                entry.resolve(name),
                                target.resolve(entry.getFileName().toString()).resolve(name));
                    }
                }
            }
            if (any) {
                log.info("logs of deleted task kept in {}", target);
            }
            prune();
        } catch (IOException | RuntimeException e) {
            log.warn("logs of deleted task {} not kept: {}", taskId, e.getMessage());
        }
    }

    /**
     * {@code <id>-<time>}, safe whatever the id: only letters, digits, '-' and '_' (the API allows
     * no others, a folder found at recovery may have any), cut to fit the longest file name, and a
     * direct child of the deleted folder; a suffix when the same id was deleted in the same ms.
     */
    Path folderFor(String taskId, Instant when) {
        StringBuilder safe = new StringBuilder();
        taskId.codePoints()
                .forEach(c -> safe.appendCodePoint(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '_'));
        String suffix = "-" + TIME.format(when);
        String id = safe.toString();
        while (id.getBytes(StandardCharsets.UTF_8).length + suffix.length() + 4 > NAME_MAX_BYTES) {
            id = id.substring(0, id.offsetByCodePoints(0, id.codePointCount(0, id.length()) - 1));
        }
        Path folder = dir.resolve(id + suffix);
        for (int n = 2; Files.exists(folder); n++) {
            folder = dir.resolve(id + suffix + "-" + n);
        }
        if (!folder.getParent().equals(dir)) {
            throw new IllegalArgumentException("not a folder name: " + taskId);
        }
        return folder;
    }

    /** The last {@link #PER_LOG_BYTES} of {@code log.1} followed by {@code log}; false when neither exists. */
    private boolean copyTail(Path logFile, Path to) throws IOException {
        Path rotated = logFile.resolveSibling(logFile.getFileName() + ".1");
        long live = Files.isRegularFile(logFile) ? Files.size(logFile) : -1;
        long old = Files.isRegularFile(rotated) ? Files.size(rotated) : -1;
        if (live < 0 && old < 0) {
            return false;
        }
        Files.createDirectories(to.getParent());
        try (OutputStream out = Files.newOutputStream(to)) {
            long fromLive = Math.min(Math.max(live, 0), perLogBytes);
            if (old > 0 && fromLive < perLogBytes) {
                copyLast(rotated, Math.min(old, perLogBytes - fromLive), out);
            }
            if (live > 0) {
                copyLast(logFile, fromLive, out);
            }
        }
        return true;
    }

    private static void copyLast(Path file, long bytes, OutputStream out) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(Math.max(0, raf.length() - bytes));
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = raf.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        }
    }

    /** Oldest first out until at most {@link #KEEP_TASKS} folders and {@link #KEEP_BYTES} remain. */
    private void prune() throws IOException {
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isDirectory).forEach(folders::add);
        }
        folders.sort(Comparator.comparing(DeletedLogs::modified));
        long total = 0;
        List<Long> sizes = new ArrayList<>();
        for (Path f : folders) {
            long size = size(f);
            sizes.add(size);
            total += size;
        }
        for (int i = 0; i < folders.size() && (folders.size() - i > keepTasks || total > keepBytes); i++) {
            FileTrees.delete(folders.get(i));
            total -= sizes.get(i);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
