package sophon.bridge.logic;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.logic.http.LogicHttpServer;
import sophon.bridge.logic.intake.AlarmBuilder;
import sophon.bridge.logic.intake.FramePipeline;
import sophon.bridge.logic.intake.LatestFrame;
import sophon.bridge.logic.outbox.Outbox;
import sophon.bridge.logic.report.AlarmFiles;
import sophon.bridge.logic.report.RecentAlarms;
import sophon.bridge.logic.report.Reporter;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.TaskRequest;

/** One running business-logic process: wiring of its parts, in start order, and their stop. */
public final class LogicProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogicProcess.class);

    private final Counters counters;
    private final Outbox outbox;
    private final Reporter reporter;
    private final AlarmBuilder builder;
    private final LogicHttpServer http;

    private LogicProcess(
            Counters counters, Outbox outbox, Reporter reporter, AlarmBuilder builder, LogicHttpServer http) {
        this.counters = counters;
        this.outbox = outbox;
        this.reporter = reporter;
        this.builder = builder;
        this.http = http;
    }

    public static LogicProcess start(Options options, TaskRequest task, AlgorithmPlugin plugin)
            throws IOException, SQLException {
        AlgorithmSpec spec = task.algorithms().get(options.algorithmIndex());
        Counters counters = new Counters(task.taskId());
        Outbox outbox = new Outbox(
                options.workDir().resolve("outbox.db"),
                options.outboxMaxAlarms(),
                options.outboxMaxBytes(),
                counters.alarmsDropped::add);
        counters.queuedFrom(outbox::size);
        counters.outboxBytesFrom(outbox::bytes);
        Reporter reporter =
                new Reporter(outbox, reportUrls(task), counters, options.batchMaxAlarms(), options.reportTimeoutMs());
        AlarmFiles files = options.alarmDir() == null ? null : new AlarmFiles(options.alarmDir());
        AlarmBuilder builder = new AlarmBuilder(
                plugin,
                new AlarmContext(task.taskId(), task.srcId(), spec.type()),
                outbox,
                files,
                new RecentAlarms(options.workDir().resolve(RecentAlarms.FOLDER)),
                counters,
                options.alarmWaitMs());
        LatestFrame latest = new LatestFrame();
        FramePipeline pipeline = new FramePipeline(plugin.newAlertLogic(spec), builder, counters, latest);
        LogicHttpServer http;
        try {
            http = new LogicHttpServer(
                    options.host(),
                    options.port(),
                    options.httpThreads(),
                    options.maxBodyBytes(),
                    pipeline,
                    counters,
                    outbox::writeProblem,
                    latest);
        } catch (IOException e) {
            builder.close();
            reporter.close();
            outbox.close();
            throw e;
        }
        reporter.start();
        http.start();
        LOG.info(
                "business logic for algorithm {} (type {}) of source {} listening on {}:{}",
                options.algorithmIndex(),
                spec.type(),
                Credentials.mask(task.address()),
                options.host(),
                http.port());
        return new LogicProcess(counters, outbox, reporter, builder, http);
    }

    private static List<HttpUrl> reportUrls(TaskRequest task) {
        List<HttpUrl> urls = new ArrayList<>();
        for (String u : task.reportUrls()) {
            HttpUrl url = u == null ? null : HttpUrl.parse(u.trim());
            if (url == null) {
                LOG.error("ReportUrlList entry '{}' is not an http(s) URL; skipped", Credentials.mask(u));
            } else {
                urls.add(url);
            }
        }
        return urls;
    }

    public int port() {
        return http.port();
    }

    public Counters counters() {
        return counters;
    }

    AlarmBuilder alarmBuilder() {
        return builder;
    }

    /** Stops taking frames, builds what is waiting, stops sending; undelivered alarms stay on disk. */
    @Override
    public void close() {
        http.close();
        builder.close();
        reporter.close();
        outbox.close();
        LOG.info(
                "stopped; {} alarms produced, {} delivered, {} dropped",
                counters.alarmsProduced.sum(),
                counters.alarmsDelivered.sum(),
                counters.alarmsDropped.sum());
    }
}
