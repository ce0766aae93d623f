package sophon.bridge.cpustream.control;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.config.ChannelSpec;
import sophon.bridge.cpustream.config.ConfigException;
import sophon.bridge.cpustream.config.GraphSpec;
import sophon.bridge.cpustream.element.ChannelGraph;
import sophon.bridge.cpustream.element.ElementFactory;
import sophon.bridge.cpustream.source.ChannelRunner;
import sophon.bridge.cpustream.source.Sources;

/**
 * The running pipeline: one decode thread per channel feeding that channel's graph instance.
 * Channels come from the demo config and, at run time, from /stream/addChannel.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private final Map<Integer, GraphSpec> graphs;
    private final ElementFactory factory;
    private final ErrorReporter reporter;
    private final Path workDir;
    private final ChannelRunner.Backoff backoff;
    private final Map<Integer, Running> channels = new LinkedHashMap<>();
    private boolean stopping;
    private boolean anyFailed;

    private record Running(ChannelRunner runner, Thread thread) {}

    public Engine(
            Map<Integer, GraphSpec> graphs,
            ElementFactory factory,
            ErrorReporter reporter,
            Path workDir,
            ChannelRunner.Backoff backoff) {
        this.graphs = graphs;
        this.factory = factory;
        this.reporter = reporter;
        this.workDir = workDir;
        this.backoff = backoff;
    }

    /** Builds the channel's graph (config errors surface here) and starts its decode thread. */
    public synchronized void addChannel(ChannelSpec spec) throws ConfigException {
        if (stopping) {
            throw new ConfigException("the pipeline is stopping");
        }
        Running old = channels.get(spec.channelId());
        if (old != null && old.runner().outcome() == ChannelRunner.Outcome.RUNNING) {
            throw new ConfigException("channel " + spec.channelId() + " is already running");
        }
        GraphSpec graph = graphs.get(spec.graphId());
        if (graph == null) {
            throw new ConfigException("graph_id " + spec.graphId() + " does not exist");
        }
        ChannelGraph instance = factory.build(graph, spec.channelId());
        int decodeThreads = graph.elements()
                .get(graph.sourceId())
                .configure()
                .path("decode_threads")
                .asInt(1);
        ChannelRunner runner = new ChannelRunner(
                spec, () -> Sources.forChannel(spec, workDir, decodeThreads), instance, reporter, backoff);
        Thread t = new Thread(
                () -> {
                    runner.run();
                    synchronized (Engine.this) {
                        if (runner.outcome() == ChannelRunner.Outcome.FAILED) {
                            anyFailed = true;
                        }
                        Engine.this.notifyAll();
                    }
                },
                "decode-ch" + spec.channelId());
        channels.put(spec.channelId(), new Running(runner, t));
        t.start();
        LOG.info(
                "channel {}: started on graph {} ({}), sample_interval {}",
                spec.channelId(),
                spec.graphId(),
                graph.graphName(),
                spec.sampleInterval());
    }

    /** @return false if no such channel is running */
    public synchronized boolean stopChannel(int channelId) {
        Running r = channels.get(channelId);
        if (r == null || r.runner().outcome() != ChannelRunner.Outcome.RUNNING) {
            return false;
        }
        r.runner().stop();
        return true;
    }

    public synchronized boolean stopping() {
        return stopping;
    }

    /** Asks every channel to stop; awaitEnd then returns once they have. */
    public synchronized void stop() {
        stopping = true;
        for (Running r : channels.values()) {
            r.runner().stop();
        }
        notifyAll();
    }

    /**
     * Blocks until every channel started so far has ended, or until stop(). With no channel yet
     * (an http_listen-only config) it waits for the first addChannel. True if a channel failed.
     */
    public boolean awaitEnd() throws InterruptedException {
        synchronized (this) {
            while (!(stopping || (!channels.isEmpty() && allEnded()))) {
                wait(500);
            }
        }
        for (Running r : snapshot().values()) {
            r.thread().join(TimeUnit.SECONDS.toMillis(15));
            if (r.thread().isAlive()) {
                LOG.warn(
                        "channel {}: decode thread did not stop in time",
                        r.runner().spec().channelId());
            }
        }
        synchronized (this) {
            return anyFailed && !stopping;
        }
    }

    private boolean allEnded() {
        for (Running r : channels.values()) {
            if (r.thread().isAlive()) {
                return false;
            }
        }
        return true;
    }

    private synchronized Map<Integer, Running> snapshot() {
        return new LinkedHashMap<>(channels);
    }
}
