package sophon.bridge.cpustream.source;

import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.config.ChannelSpec;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.cpustream.element.ChannelGraph;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.cpustream.task.Masking;

/**
 * The decode element of one channel, on its own thread: plays the source loop_num times (0 =
 * forever), paces files to fps, sends 1 frame in sample_interval into the graph, and
 * reconnects a lost network source with exponential backoff. Ends with an end-of-stream frame.
 */
public final class ChannelRunner implements Runnable {
    public enum Outcome {
        RUNNING,
        FINISHED,
        STOPPED,
        FAILED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRunner.class);
    private final ChannelSpec spec;
    private final SourceOpener opener;
    private final ChannelGraph graph;
    private final ErrorReporter reporter;
    private final Backoff backoff;
    private volatile boolean stopRequested;
    private volatile Outcome outcome = Outcome.RUNNING;
    private volatile long decoded;
    private long frameId;
    private long startNanos;

    /** Makes a fresh source for each (re)connection. */
    @FunctionalInterface
    public interface SourceOpener {
        FrameSource open() throws SourceException;
    }

    /** Reconnection policy: delays double from first to max; a source never seen up gets initialAttempts tries. */
    public record Backoff(long firstMillis, long maxMillis, int initialAttempts) {}

    public ChannelRunner(
            ChannelSpec spec, SourceOpener opener, ChannelGraph graph, ErrorReporter reporter, Backoff backoff) {
        this.spec = spec;
        this.opener = opener;
        this.graph = graph;
        this.reporter = reporter;
        this.backoff = backoff;
    }

    private volatile FrameSource current;

    public void stop() {
        stopRequested = true;
        FrameSource s = current;
        if (s != null) {
            s.wakeUp();
        }
    }

    public Outcome outcome() {
        return outcome;
    }

    public ChannelSpec spec() {
        return spec;
    }

    @Override
    public void run() {
        Outcome end;
        startNanos = System.nanoTime();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long startCpu = cpu.getCurrentThreadCpuTime();
        try {
            end = play();
        } catch (RuntimeException e) {
            LOG.error("channel {}: crashed: {}", spec.channelId(), e.toString(), e);
            reporter.report(spec.channelId(), "UNKNOWN");
            end = Outcome.FAILED;
        }
        try {
            graph.push(Frame.endOfStream(spec.channelId(), frameId, spec.graphId()));
        } catch (RuntimeException e) {
            LOG.warn("channel {}: end-of-stream failed: {}", spec.channelId(), e.toString());
        }
        graph.close();
        double secs = (System.nanoTime() - startNanos) / 1e9;
        double cpuSecs = (cpu.getCurrentThreadCpuTime() - startCpu) / 1e9;
        // Thread CPU time makes throughput comparable on a busy machine, where wall time is not.
        LOG.info(
                "channel {}: {} after {} decoded frame(s) in {} s ({} frames/s); channel thread CPU {} s ({} frames per CPU-second)",
                spec.channelId(),
                end.name().toLowerCase(),
                decoded,
                String.format("%.2f", secs),
                String.format("%.1f", decoded / Math.max(secs, 1e-9)),
                String.format("%.2f", cpuSecs),
                String.format("%.1f", decoded / Math.max(cpuSecs, 1e-9)));
        outcome = end;
    }

    private Outcome play() {
        boolean network = spec.sourceType().network();
        boolean everUp = false;
        int attempts = 0;
        long delay = backoff.firstMillis();
        int plays = 0;
        String where = spec.sourceType() + " " + Masking.mask(spec.url());
        while (!stopRequested) {
            FrameSource source;
            try {
                source = opener.open();
                current = source;
                if (stopRequested) {
                    source.close();
                    break;
                }
                source.open();
            } catch (SourceException e) {
                attempts++;
                reporter.report(spec.channelId(), "ERR_FFMPEG_INPUT_CTX_OPEN");
                if (!network || (!everUp && attempts >= backoff.initialAttempts())) {
                    LOG.error("channel {}: {}", spec.channelId(), e.getMessage());
                    return Outcome.FAILED;
                }
                LOG.warn("channel {}: {}; retrying in {} ms", spec.channelId(), e.getMessage(), delay);
                if (!sleep(delay)) {
                    break;
                }
                delay = Math.min(backoff.maxMillis(), delay * 2);
                continue;
            }
            if (everUp && network) {
                LOG.info("channel {}: {} reconnected", spec.channelId(), where);
            } else {
                LOG.info("channel {}: opened {}", spec.channelId(), where);
            }
            long before = decoded;
            try {
                everUp = true;
                attempts = 0;
                readAll(source, network);
            } catch (SourceException e) {
                if (!network) {
                    LOG.error("channel {}: {}", spec.channelId(), e.getMessage());
                    reporter.report(spec.channelId(), "ERR_FFMPEG_READ_FRAME");
                    return Outcome.FAILED;
                }
                LOG.warn("channel {}: {}; reconnecting in {} ms", spec.channelId(), e.getMessage(), delay);
                reporter.report(spec.channelId(), "ERR_FFMPEG_READ_FRAME");
            } finally {
                source.close();
            }
            if (stopRequested) {
                break;
            }
            if (network) {
                // A live source does not end: an end of input means the connection was lost.
                if (decoded > before) {
                    delay = backoff.firstMillis();
                }
                LOG.warn("channel {}: {} ended; reconnecting in {} ms", spec.channelId(), where, delay);
                reporter.report(spec.channelId(), "STREAM_END");
                if (!sleep(delay)) {
                    break;
                }
                delay = Math.min(backoff.maxMillis(), delay * 2);
                continue;
            }
            if (decoded == before) {
                LOG.error("channel {}: {} holds no decodable frame", spec.channelId(), where);
                reporter.report(spec.channelId(), "DECODE_PICTURE_FAILED");
                return Outcome.FAILED;
            }
            plays++;
            if (!spec.forever() && plays >= spec.loopNum()) {
                return Outcome.FINISHED;
            }
        }
        return Outcome.STOPPED;
    }

    private void readAll(FrameSource source, boolean live) throws SourceException {
        double fps = spec.fps() > 0 ? spec.fps() : (spec.fps() == 0 && !live ? source.nativeFps() : 0);
        long periodNanos = fps > 0 ? (long) (1e9 / fps) : 0;
        long start = System.nanoTime();
        long played = 0;
        double measuredFps = 0;
        long lastTick = start;
        while (!stopRequested) {
            long id = frameId;
            boolean sampled = id % spec.sampleInterval() == 0;
            boolean wanted = !graph.isEmpty() && (sampled || spec.sampleStrategy() == ChannelSpec.SampleStrategy.KEEP);
            Mat image = null;
            if (wanted) {
                image = source.next();
                if (image == null) {
                    return;
                }
            } else if (!source.skip()) {
                return;
            }
            long now = System.nanoTime();
            double inst = 1e9 / Math.max(1, now - lastTick);
            measuredFps = measuredFps == 0 ? inst : 0.9 * measuredFps + 0.1 * inst;
            lastTick = now;
            frameId++;
            decoded++;
            if (wanted) {
                Frame f = new Frame(
                        spec.channelId(),
                        id,
                        System.currentTimeMillis() * 1000,
                        image.cols(),
                        image.rows(),
                        false,
                        !sampled,
                        Math.round(measuredFps * 10) / 10.0,
                        spec.graphId(),
                        image.clone());
                try {
                    graph.push(f);
                } finally {
                    f.release();
                }
            }
            played++;
            if (periodNanos > 0) {
                long due = start + played * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0 && !sleep(TimeUnit.NANOSECONDS.toMillis(wait))) {
                    return;
                }
            }
        }
    }

    /** Sleeps in short steps so a stop request is honoured quickly; false if stopping. */
    private boolean sleep(long millis) {
        long end = System.currentTimeMillis() + millis;
        try {
            while (!stopRequested) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                Thread.sleep(Math.min(left, 100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
