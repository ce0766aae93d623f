package sophon.bridge.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.server.task.EntrySupervisor;
import sophon.bridge.server.task.EntryView;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.task.TaskRuntime;

/**
 * The tasks' series, made on each scrape from what the server holds anyway: every entry's live
 * view and the business-logic counters the watchdog polls every 2 s (so those are up to 2 s old).
 * Nothing is kept between scrapes. Labels are the TaskID, the entry's index and algorithm name,
 * and fixed words (state, child): never an address, URL or anything a user typed besides the TaskID.
 */
final class TaskCollector implements MultiCollector {
    static final String PREFIX = "sophon_bridge_";

    private final TaskManager manager;

    TaskCollector(TaskManager manager) {
        this.manager = manager;
    }

    /** A business-logic counter of /counters shown as a Prometheus counter (reset when the child restarts). */
    private record Field(String json, CounterSnapshot.Builder family) {}

    @Override
    public MetricSnapshots collect() {
        long now = System.nanoTime();
        List<Field> counterFields = List.of(
                new Field(
                        "framesReceived",
                        counter("frames_received", "Frames business logic received from the stream.")),
                new Field(
                        "framesRejected",
                        counter(
                                "frames_refused",
                                "Frame posts business logic refused (malformed, too large, or while stopping).")),
                new Field("alarmsProduced", counter("alarms_produced", "Alarms the alert logic produced.")),
                new Field("alarmsDelivered", counter("alarms_delivered", "Alarms a report URL accepted.")),
                new Field(
                        "alarmsFailed", counter("alarms_failed", "Alarms in delivery attempts that failed (retried).")),
                new Field(
                        "alarmsDropped",
                        counter(
                                "alarms_dropped",
                                "Alarms dropped: outbox over its bound, or no room to build them in time.")));
        GaugeSnapshot.Builder fps = gauge("frames_per_second", "Frames received per second over the last 5 s.", null);
        GaugeSnapshot.Builder queued = gauge("alarms_queued", "Alarms in the outbox, not yet delivered.", null);
        GaugeSnapshot.Builder outboxBytes = gauge("outbox_bytes", "Bytes of the alarms in the outbox.", Unit.BYTES);
        GaugeSnapshot.Builder lastFrame = gauge(
                "last_frame_age_seconds",
                "Seconds since business logic last received a frame (before the first: since the server took the entry on).",
                Unit.SECONDS);
        GaugeSnapshot.Builder entryState =
                gauge("entry_state", "1 for the entry's current state, 0 for the others.", null);
        GaugeSnapshot.Builder childUp = gauge("child_up", "1 when the child process runs and is ready.", null);
        CounterSnapshot.Builder restarts =
                counter("entry_restarts", "Child restarts after a failure, kept across server restarts.");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder()
                .name(PREFIX + "alarm_latency_seconds")
                .unit(Unit.SECONDS)
                .help("Frame received by business logic to the alarm's first POST started.");
        Map<RunState, Integer> tasksByState = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            tasksByState.put(s, 0);
        }
        for (TaskRuntime task : manager.runtimes()) {
            List<RunState> states = new ArrayList<>(task.entries().size());
            for (EntrySupervisor entry : task.entries()) {
                EntryView view = entry.view();
                RunState state = RunState.fromLabel(view.state());
                states.add(state);
                Labels labels = Labels.of(
                        "task_id",
                        task.taskId(),
                        "entry",
                        Integer.toString(view.index()),
                        "algorithm",
                        view.algorithm());
                for (RunState s : RunState.values()) {
                    entryState.dataPoint(gaugePoint(labels.add("state", s.label()), s == state ? 1 : 0));
                }
                childUp.dataPoint(gaugePoint(labels.add("child", "business-logic"), entry.businessLogicUp() ? 1 : 0));
                childUp.dataPoint(gaugePoint(labels.add("child", "stream"), entry.streamUp() ? 1 : 0));
                restarts.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(labels)
                        .value(view.restartCount())
                        .build());
                lastFrame.dataPoint(gaugePoint(labels, entry.secondsSinceLastFrame(now)));
                JsonNode c = view.counters();
                if (c == null) {
                    continue; // business logic has not answered /counters yet
                }
                for (Field f : counterFields) {
                    if (c.has(f.json())) {
                        f.family()
                                .dataPoint(CounterDataPointSnapshot.builder()
                                        .labels(labels)
                                        .value(c.path(f.json()).asDouble())
                                        .build());
                    }
                }
                gaugeFrom(c, "framesPerSecond", fps, labels);
                gaugeFrom(c, "alarmsQueued", queued, labels);
                gaugeFrom(c, "outboxBytes", outboxBytes, labels);
                HistogramDataPointSnapshot h = histogram(c.path("alarmLatencyHistogram"), labels);
                if (h != null) {
                    latency.dataPoint(h);
                }
            }
            if (!states.isEmpty()) {
                tasksByState.merge(TaskRuntime.combine(states), 1, Integer::sum);
            }
        }
        GaugeSnapshot.Builder tasks = gauge("tasks", "Tasks held by the server, by state.", null);
        tasksByState.forEach((s, n) -> tasks.dataPoint(gaugePoint(Labels.of("state", s.label()), n)));
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        counterFields.forEach(f -> all.metricSnapshot(f.family().build()));
        return all.metricSnapshot(fps.build())
                .metricSnapshot(queued.build())
                .metricSnapshot(outboxBytes.build())
                .metricSnapshot(lastFrame.build())
                .metricSnapshot(entryState.build())
                .metricSnapshot(childUp.build())
                .metricSnapshot(restarts.build())
                .metricSnapshot(latency.build())
                .metricSnapshot(tasks.build())
                .build();
    }

    /**
     * Business logic's fixed buckets (ms, per bucket, the last one above every bound) as a
     * classic histogram in seconds; null when absent or malformed (an older business logic).
     */
    static HistogramDataPointSnapshot histogram(JsonNode node, Labels labels) {
        JsonNode bounds = node.path("boundsMs");
        JsonNode counts = node.path("counts");
        if (!bounds.isArray() || !counts.isArray() || counts.size() != bounds.size() + 1) {
            return null;
        }
        double[] upper = new double[counts.size()];
        long[] perBucket = new long[counts.size()];
        for (int i = 0; i < counts.size(); i++) {
            upper[i] = i < bounds.size() ? bounds.get(i).asDouble() / 1000.0 : Double.POSITIVE_INFINITY;
            perBucket[i] = counts.get(i).asLong();
        }
        return HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, perBucket))
                .sum(node.path("sumMs").asDouble() / 1000.0)
                .build();
    }

    private static void gaugeFrom(JsonNode counters, String field, GaugeSnapshot.Builder family, Labels labels) {
        if (counters.has(field)) {
            family.dataPoint(gaugePoint(labels, counters.path(field).asDouble()));
        }
    }

    private static GaugeDataPointSnapshot gaugePoint(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** Named without {@code _total}: the text format adds it. */
    private static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(PREFIX + name).help(help);
    }

    private static GaugeSnapshot.Builder gauge(String name, String help, Unit unit) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(PREFIX + name).help(help);
        return unit == null ? b : b.unit(unit);
    }
}
