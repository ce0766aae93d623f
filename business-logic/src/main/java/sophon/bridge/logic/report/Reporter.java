package sophon.bridge.logic.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.logic.Counters;
import sophon.bridge.logic.outbox.Outbox;
import sophon.bridge.task.Credentials;

/**
 * Delivers the outbox to the ReportUrlList: a few sender threads each claim the oldest waiting
 * alarms (several per request under backlog — application-web takes an array), post them to the
 * next URL in round robin and delete them once a receiver accepted them. Accepted means a 2xx
 * answer whose {@code Code}, if it has one, is 0 (an answer without a {@code Code} is a plain
 * webhook's). Anything else — connection error, timeout, a 3xx (redirects are never followed:
 * a redirect from a report URL is a login page or a moved endpoint, and following it would post
 * alarms where nobody asked, or take a login page's 200 for an acceptance), 4xx, 5xx, or a
 * {@code Code} that is not 0 — puts the URL into backoff and the same batch goes to the next URL.
 *
 * <p>A batch that was accepted but could not be removed from the outbox (database locked, disk
 * full) is not posted again: its sender retries only the removal, 0.5 s doubling to 30 s, and
 * takes no new batch meanwhile, so a stuck outbox costs the receivers at most one POST per sender.
 */
public final class Reporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final int SENDERS = 2;
    // Per request; with {@link #SENDERS} senders this bounds the heap held by batches in flight to 6 MB.
    private static final long MAX_BATCH_BYTES = 3L * 1024 * 1024;
    private static final long IDLE_WAIT_MS = 60_000;
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final Outbox outbox;
    private final ReportTargets targets;
    private final OkHttpClient http;
    private final Counters counters;
    private final int batchMax;
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean running = true;

    public Reporter(Outbox outbox, List<HttpUrl> urls, Counters counters, int batchMax, int timeoutMs) {
        this.outbox = outbox;
        this.targets = new ReportTargets(urls);
        this.counters = counters;
        this.batchMax = batchMax;
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (urls.stream().noneMatch(HttpUrl::isHttps)) {
            // Plain-http receivers only (the usual application-web on the LAN): skipping TLS
            // set-up saves a third of the process's start-up CPU, which bounds recovery time.
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.http = builder.connectTimeout(Duration.ofMillis(Math.min(3000, timeoutMs)))
                .readTimeout(Duration.ofMillis(timeoutMs))
                .writeTimeout(Duration.ofMillis(timeoutMs))
                .callTimeout(Duration.ofMillis(2L * timeoutMs))
                // A silent retry could deliver twice; failures are ours to handle.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        // Two senders whatever the number of URLs: one slow or dead receiver does not hold up
        // delivery, and under backlog each POST carries every waiting alarm (up to batchMax), so
        // a camera's few alarms a second never wait for a sender long. Four cost each process two
        // more threads, connections and batch buffers (business-logic/README.md, Box benchmark).
        int workers = SENDERS;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::run, "report-" + i);
            t.setPriority(Thread.MAX_PRIORITY);
            t.setDaemon(true);
            senders.add(t);
        }
    }

    public void start() {
        if (targets.isEmpty()) {
            LOG.warn("ReportUrlList is empty: alarms stay in the outbox");
            return;
        }
        senders.forEach(Thread::start);
    }

    private void run() {
        while (running) {
            List<Outbox.Entry> batch;
            try {
                // An alarm, room in the sending budget, close() and interrupt() all wake take():
                // no timeout is needed to notice them, and each timed-out wake-up costs CPU on a box.
                batch = outbox.take(batchMax, MAX_BATCH_BYTES, IDLE_WAIT_MS);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.error("reading the outbox failed: {}", e.getMessage());
                pause(1000);
                continue;
            }
            if (!batch.isEmpty()) {
                deliver(batch);
            }
        }
    }

    private void deliver(List<Outbox.Entry> batch) {
        boolean first = true;
        try {
            while (running) {
                ReportTargets.Target target = targets.next();
                if (target == null) {
                    break;
                }
                if (first) {
                    long now = System.nanoTime();
                    batch.stream().filter(e -> e.receivedNanos() != 0).forEach(e -> {
                        counters.alarmLatency.record(e.receivedNanos(), now);
                        counters.alarmLatencyHistogram.record(e.receivedNanos(), now);
                    });
                    first = false;
                }
                String failure = post(target, batch);
                if (failure == null) {
                    targets.succeeded(target);
                    counters.alarmsDelivered.add(batch.size());
                    // DEBUG: at INFO, one line per batch filled the log cap within hours under load.
                    LOG.debug("delivered {} alarm(s) to {}", batch.size(), target.masked);
                    if (markDelivered(batch, target)) {
                        return;
                    }
                    break;
                }
                long backoff = targets.failed(target);
                counters.alarmsFailed.add(batch.size());
                counters.deliveryError(failure);
                LOG.warn("delivering {} alarm(s) failed: {}; that URL rests {} ms", batch.size(), failure, backoff);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.release(batch);
    }

    /**
     * Removes an accepted batch from the outbox, retrying with backoff until that works or the
     * reporter closes (false: the batch stays on disk and is sent again after a restart, the
     * at-least-once case). Posting it again would not help the removal, and would hand the
     * receiver the same alarms on every attempt.
     */
    private boolean markDelivered(List<Outbox.Entry> batch, ReportTargets.Target target) throws InterruptedException {
        for (int failures = 0; running; failures++) {
            try {
                outbox.delivered(batch);
                if (failures > 0) {
                    LOG.info(
                            "{} alarm(s) delivered to {} removed from the outbox after {} failed attempt(s)",
                            batch.size(),
                            target.masked,
                            failures);
                }
                return true;
            } catch (SQLException e) {
                long backoff = ReportTargets.backoffMs(failures + 1);
                String message = batch.size() + " alarm(s) accepted by " + target.masked
                        + " but not removed from the outbox: " + e.getMessage();
                counters.deliveryError(message);
                LOG.error("{}; retrying the removal (not the POST) in {} ms", message, backoff);
                Thread.sleep(backoff);
            }
        }
        return false;
    }

    /** Null when accepted, else why not ("HTTP 503 from http://host/upload"), credentials masked. */
    private String post(ReportTargets.Target target, List<Outbox.Entry> batch) {
        Request request =
                new Request.Builder().url(target.url).post(new ArrayBody(batch)).build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                String location = response.isRedirect() ? response.header("Location") : null;
                return "HTTP " + response.code() + " from " + target.masked
                        + (location == null ? "" : ", a redirect to " + Credentials.mask(location) + " (not followed)");
            }
            ResponseBody body = response.body();
            if (body == null) {
                return null;
            }
            BufferedSource source = body.source();
            source.request(MAX_ANSWER_BYTES);
            Buffer buffer = source.getBuffer();
            String problem = codeProblem(buffer.readByteArray(Math.min(buffer.size(), MAX_ANSWER_BYTES)));
            return problem == null ? null : "HTTP " + response.code() + " " + problem + " from " + target.masked;
        } catch (IOException | RuntimeException e) {
            return Credentials.mask(
                            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"))
                    + " from " + target.masked;
        }
    }

    static String codeProblem(byte[] answer) {
        JsonNode node;
        try {
            node = JSON.readTree(answer);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject() || !(node.has("Code") || node.has("code"))) {
            return null;
        }
        JsonNode code = node.has("Code") ? node.get("Code") : node.get("code");
        if (code.asInt(-1) == 0 && (code.isNumber() || "0".equals(code.asText()))) {
            return null;
        }
        return Credentials.mask(
                "with Code " + code + (node.has("Msg") ? " (" + node.get("Msg").asText() + ")" : ""));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        targets.stop();
        senders.forEach(Thread::interrupt);
        for (Thread t : senders) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** The batch as a JSON array, written straight from the stored alarm bodies. */
    private static final class ArrayBody extends RequestBody {
        private final List<Outbox.Entry> batch;
        private final long length;

        ArrayBody(List<Outbox.Entry> batch) {
            this.batch = batch;
            long n = 2 + Math.max(0, batch.size() - 1);
            for (Outbox.Entry e : batch) {
                n += e.body().length;
            }
            this.length = n;
        }

        @Override
        public MediaType contentType() {
            return JSON_TYPE;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.writeByte('[');
            for (int i = 0; i < batch.size(); i++) {
                if (i > 0) {
                    sink.writeByte(',');
                }
                sink.write(batch.get(i).body());
            }
            sink.writeByte(']');
        }
    }
}
