package sophon.bridge.logic.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.frame.BadFrameException;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.logic.Counters;
import sophon.bridge.logic.intake.FramePipeline;
import sophon.bridge.logic.intake.LatestFrame;
import sophon.bridge.task.Credentials;

/**
 * The process's HTTP face: {@code POST /frames} (http_push), {@code POST /errors} (http_report),
 * {@code GET /health}, {@code GET /counters}, {@code GET /snapshot} (the current frame), served by
 * {@link KeepAliveServer}, at most {@code threads} requests at once (16 by default: one per channel
 * of a full box; a lower limit made requests queue for a slot and, paced at 4,000 frames/s, put
 * answer p99 at 27-90 ms).
 * Bodies are bounded per request and in total, by a quarter of the heap.
 */
public final class LogicHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogicHttpServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final byte[] OK = "{\"code\":0,\"msg\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final String ERRORS = "/errors";
    // http_push posts frames back to back; a camera that stops leaves its connection idle.
    private static final int IDLE_TIMEOUT_MS = 120_000;
    // Head and body of one request, from its first byte: a 270 KB frame takes milliseconds on the
    // box's loopback, and even a maximal body needs only ~4 Mbit/s to make it.
    static final int REQUEST_DEADLINE_MS = 30_000;
    // The rest of the heap is for alarm work (waiting alarm frames, crops being built, report
    // batches) and live data; with -Xmx56m (52 MB usable) the budget is 13 MB.
    static final int HEAP_SHARE_FOR_BODIES = 4;
    // "The current frame": a few seconds old at most. The wait covers a frame interval or two of
    // a stream that was not being watched, and stays well within the server's own timeout.
    static final long SNAPSHOT_MAX_AGE_MS = 3000;
    static final long SNAPSHOT_WAIT_MS = 1000;

    private final KeepAliveServer server;
    private final FramePipeline pipeline;
    private final Counters counters;
    private final Supplier<String> unhealthy;
    private final LatestFrame latest;
    private final AtomicInteger loggedRejections = new AtomicInteger();

    /** {@code unhealthy}: why the process cannot do its job now (its outbox cannot be written), or null. */
    public LogicHttpServer(
            String host,
            int port,
            int threads,
            int maxBodyBytes,
            FramePipeline pipeline,
            Counters counters,
            Supplier<String> unhealthy,
            LatestFrame latest)
            throws IOException {
        this.pipeline = pipeline;
        this.latest = latest;
        this.unhealthy = unhealthy;
        this.counters = counters;
        long budget = Runtime.getRuntime().maxMemory() / HEAP_SHARE_FOR_BODIES;
        if (maxBodyBytes > budget) {
            LOG.info(
                    "bodies over {} bytes (a quarter of the {} MB heap) are refused (413), below --max-body-bytes={}",
                    budget,
                    Runtime.getRuntime().maxMemory() >> 20,
                    maxBodyBytes);
        }
        this.server = new KeepAliveServer(
                host,
                port,
                new KeepAliveServer.Limits(
                        threads, KeepAliveServer.MAX_CONNECTIONS, IDLE_TIMEOUT_MS, REQUEST_DEADLINE_MS, budget),
                Map.of(
                        "/frames",
                        new KeepAliveServer.Route("POST", maxBodyBytes, this::frames),
                        ERRORS,
                        new KeepAliveServer.Route("POST", MAX_ERROR_BODY, this::errors),
                        "/health",
                        new KeepAliveServer.Route("GET", 0, this::health),
                        "/counters",
                        new KeepAliveServer.Route("GET", 0, this::counters),
                        "/snapshot",
                        new KeepAliveServer.Route("GET", 0, this::snapshot)),
                (path, reason) -> {
                    (ERRORS.equals(path) ? counters.errorPostsRejected : counters.framesRejected).increment();
                    logRejection("request to " + path + " refused: " + reason);
                });
    }

    // The pid lets the server tell its own child from whatever else answers on the port; a 503 carries it too.
    private static final long PID = ProcessHandle.current().pid();
    private static final byte[] HEALTH =
            ("{\"code\":0,\"msg\":\"success\",\"status\":\"ok\",\"pid\":" + PID + "}").getBytes(StandardCharsets.UTF_8);

    private void health(Exchange ex) throws IOException {
        String problem = unhealthy.get();
        if (problem == null) {
            ex.answer(Status.OK, HEALTH);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", -1);
        answer.put("msg", Credentials.mask(problem));
        answer.put("status", "unhealthy");
        answer.put("pid", PID);
        ex.answer(Status.SERVICE_UNAVAILABLE, JSON.writeValueAsBytes(answer));
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.port();
    }

    private void counters(Exchange ex) throws IOException {
        int window;
        try {
            window = latencyWindow(ex.rawQuery());
        } catch (IllegalArgumentException e) {
            fail(ex, Status.BAD_REQUEST, e.getMessage());
            return;
        }
        ex.answer(Status.OK, JSON.writeValueAsBytes(counters.snapshot(window)));
    }

    /**
     * The newest frame http_push posted, as the JPEG it carried; waits up to
     * {@value #SNAPSHOT_WAIT_MS} ms for one when none younger than {@value #SNAPSHOT_MAX_AGE_MS} ms is kept
     * (frames are kept only while someone asks, see {@link LatestFrame}). 503 when none came.
     */
    private void snapshot(Exchange ex) throws IOException {
        Base64Image image;
        try {
            image = latest.newest(TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MAX_AGE_MS), SNAPSHOT_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(ex, Status.SERVICE_UNAVAILABLE, "stopping");
            return;
        }
        if (image == null) {
            fail(ex, Status.SERVICE_UNAVAILABLE, "no frame from the stream in the last " + SNAPSHOT_MAX_AGE_MS + " ms");
            return;
        }
        byte[] jpeg;
        try {
            jpeg = image.decode();
        } catch (IllegalArgumentException e) {
            fail(ex, Status.SERVICE_UNAVAILABLE, "the newest frame's image is not valid base64");
            return;
        }
        ex.answerBytes(jpeg, "image/jpeg");
    }

    private void frames(Exchange ex) throws IOException {
        try {
            pipeline.accept(ex.body(), ex.bodyLength(), ex.startedNanos());
            ex.answer(Status.OK, OK);
        } catch (BadFrameException e) {
            logRejection("frame post rejected: " + e.getMessage());
            fail(ex, Status.BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
            counters.framesRejected.increment();
            LOG.error("frame post failed", e);
            fail(ex, Status.INTERNAL_ERROR, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void errors(Exchange ex) throws IOException {
        try {
            JsonNode node = JSON.readTree(ex.body(), 0, ex.bodyLength());
            if (node == null || !node.isObject() || !node.has("error")) {
                counters.errorPostsRejected.increment();
                fail(ex, Status.BAD_REQUEST, "an error post must be a JSON object with an \"error\" field");
                return;
            }
            String error = Credentials.mask(
                    node.get("error").isTextual()
                            ? node.get("error").asText()
                            : node.get("error").toString());
            counters.reportError(error);
            LOG.warn("stream reported error: {}", error);
            ex.answer(Status.OK, OK);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            counters.errorPostsRejected.increment();
            fail(ex, Status.BAD_REQUEST, "error post is not valid JSON");
        }
    }

    /** Rejections are counted always, logged for the first 100 and then every 1000th. */
    private void logRejection(String message) {
        int n = loggedRejections.incrementAndGet();
        if (n <= 100 || n % 1000 == 0) {
            LOG.warn("{} (rejection #{})", message, n);
        }
    }

    /** The {@code window} query parameter of /counters (seconds), or the default. */
    static int latencyWindow(String query) {
        if (query == null || query.isEmpty()) {
            return Counters.LATENCY_WINDOW_SECONDS;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("window=")) {
                String value = pair.substring("window=".length());
                int seconds;
                try {
                    seconds = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("window must be a whole number of seconds, not '" + value + "'");
                }
                if (seconds < 1 || seconds > Counters.MAX_LATENCY_WINDOW_SECONDS) {
                    throw new IllegalArgumentException(
                            "window must be 1.." + Counters.MAX_LATENCY_WINDOW_SECONDS + " seconds");
                }
                return seconds;
            }
        }
        return Counters.LATENCY_WINDOW_SECONDS;
    }

    private static void fail(Exchange ex, Status status, String message) throws IOException {
        ex.answer(status, KeepAliveServer.error(message));
    }

    @Override
    public void close() {
        server.close();
    }
}
