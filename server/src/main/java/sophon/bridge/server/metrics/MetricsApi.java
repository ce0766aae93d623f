package sophon.bridge.server.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.ui.OperatorAccess;

/**
 * {@code GET /metrics} in the Prometheus text format: the tasks' series ({@link TaskCollector},
 * made on each scrape), how long {@code /task/create} and {@code /task/delete} take, and the JVM's
 * memory, threads, GC and process CPU. A registry of its own rather than the client's global one,
 * so that a second server in the same JVM (tests) does not register twice.
 */
public final class MetricsApi {
    private static final String STARTED = "metrics.started";
    /** create answers once the config sets are written; delete waits for the children to stop (grace up to tens of s). */
    private static final double[] OPERATION_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram operations;

    public MetricsApi(TaskManager manager) {
        registry.register(new TaskCollector(manager));
        JvmMemoryMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        ProcessMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        operations = Histogram.builder()
                .name(TaskCollector.PREFIX + "task_operation_seconds")
                .unit(Unit.SECONDS)
                .help("Time to answer /task/create and /task/delete, refusals included.")
                .labelNames("operation")
                .classicOnly()
                .classicUpperBounds(OPERATION_BOUNDS)
                .build();
        registry.register(operations);
    }

    public void register(Javalin app) {
        timed(app, "/task/create", "create");
        timed(app, "/task/delete", "delete");
        app.get("/metrics", this::scrape, OperatorAccess.Role.OPERATOR);
    }

    private void timed(Javalin app, String path, String operation) {
        app.before(path, ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(path, ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started != null) {
                operations.labelValues(operation).observe((System.nanoTime() - started) / 1e9);
            }
        });
    }

    private void scrape(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        ctx.status(200).contentType(writer.getContentType()).result(out.toByteArray());
    }
}
