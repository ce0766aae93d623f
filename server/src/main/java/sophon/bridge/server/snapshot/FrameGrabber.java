package sophon.bridge.server.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.task.JvmOptions;
import sophon.bridge.task.Credentials;

/**
 * One frame straight from a task's source, for the snapshot of a camera whose stream posts no
 * frames (a filter element passes only frames with events, or the stream is not up): cpu-stream's
 * one-shot {@code Grab} as a child process (its FFmpeg decoder, native memory and possible hang stay
 * out of the server), with FFmpeg's timeouts at {@value #SOURCE_TIMEOUT_MS} ms and killed after
 * {@value #TIMEOUT_MS} ms in all. At most one grab per address at a time;
 * its result, a failure too, serves every request for {@value #CACHE_MS} ms, so a page full of
 * viewers costs one grab.
 */
public final class FrameGrabber {
    /** FFmpeg's open and read timeouts in the child (a silent camera). */
    static final long SOURCE_TIMEOUT_MS = 5000;
    /** The child JVM's start and FFmpeg's libraries loading: 2-3 s measured at load 8 on two cores. */
    static final long START_ALLOWANCE_MS = 5000;

    static final long TIMEOUT_MS = SOURCE_TIMEOUT_MS + START_ALLOWANCE_MS;
    static final long CACHE_MS = 2000;
    private static final int MAX_REASON_CHARS = 300;

    /** A JPEG, or why there is none (address masked). */
    public record Result(byte[] jpeg, String failure, long atNanos) {}

    private final List<String> command;
    private final Path scratch;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** One address: its lock (one grab at a time) and last result. */
    private static final class Slot {
        Result last; // guarded by this
        volatile long usedNanos = System.nanoTime();

        /** Forgotten when nobody asked for a minute (tasks come and go); one in use was asked seconds ago. */
        boolean idleLongerThan(long now, long nanos) {
            return now - usedNanos > nanos;
        }
    }

    /** {@code command}: java, its flags, {@code -cp <cpu-stream jar> sophon.bridge.cpustream.Grab}; scratch: a folder for the files. */
    public FrameGrabber(List<String> command, Path scratch) {
        this.command = List.copyOf(command);
        this.scratch = scratch;
    }

    /**
     * cpu-stream's jar with its {@code jvm.options} (its classpath manifest brings FFmpeg), main class
     * {@code Grab}; used whichever engine runs the tasks, since a box with sophon-stream ships it too.
     */
    public static FrameGrabber ofCpuStream(Path appHome, Path java, Path scratch) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(JvmOptions.forChild(appHome.resolve("cpu-stream/jvm.options"), JvmOptions.SMALL_CHILD));
        cmd.add("-XX:TieredStopAtLevel=1"); // one frame: C2 would only compete for the cores
        cmd.add("-Dcpustream.io.timeout.ms=" + SOURCE_TIMEOUT_MS);
        cmd.add("-cp");
        cmd.add(AppHome.moduleJar(appHome, "cpu-stream").toString());
        cmd.add("sophon.bridge.cpustream.Grab");
        return new FrameGrabber(cmd, scratch);
    }

    /** The source's current frame, grabbed now or within the last {@value #CACHE_MS} ms. */
    public Result grab(String address, Path workDir) throws InterruptedException {
        long now = System.nanoTime();
        slots.values().removeIf(s -> s.idleLongerThan(now, TimeUnit.MINUTES.toNanos(1)));
        Slot slot = slots.compute(address, (a, s) -> {
            Slot kept = s == null ? new Slot() : s;
            kept.usedNanos = now;
            return kept;
        });
        synchronized (slot) {
            Result last = slot.last;
            if (last != null && System.nanoTime() - last.atNanos() < TimeUnit.MILLISECONDS.toNanos(CACHE_MS)) {
                return last;
            }
            slot.last = run(address, workDir);
            return slot.last;
        }
    }

    private Result run(String address, Path workDir) throws InterruptedException {
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            Files.createDirectories(scratch);
            out = Files.createTempFile(scratch, "grab", ".jpg");
            err = Files.createTempFile(scratch, "grab", ".err");
            List<String> cmd = new ArrayList<>(command);
            cmd.add("--out=" + out);
            p = new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile())
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((address + "\n").getBytes(StandardCharsets.UTF_8)); // stdin: no credentials in ps
            }
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                return failure(
                        "no frame from " + Credentials.mask(address) + " within " + TIMEOUT_MS + " ms (grab stopped)");
            }
            if (p.exitValue() != 0) {
                String why = Files.readString(err, StandardCharsets.UTF_8).strip();
                why = why.isEmpty()
                        ? "exit code " + p.exitValue()
                        : why.lines().reduce((a, b) -> b).orElse(why);
                if (why.length() > MAX_REASON_CHARS) {
                    why = why.substring(0, MAX_REASON_CHARS);
                }
                return failure(
                        "grabbing a frame from " + Credentials.mask(address) + " failed: " + Credentials.mask(why));
            }
            return new Result(Files.readAllBytes(out), null, System.nanoTime());
        } catch (IOException e) {
            return failure("grabbing a frame from " + Credentials.mask(address) + " failed: "
                    + Credentials.mask(String.valueOf(e.getMessage())));
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static Result failure(String why) {
        return new Result(null, why, System.nanoTime());
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file in the scratch folder; the next start clears nothing of value
            }
        }
    }
}
