package sophon.bridge.logic.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.frame.BadFrameException;
import sophon.bridge.logic.Counters;
import sophon.bridge.logic.intake.FramePipeline;
import sophon.bridge.task.Credentials;

/**
 * The process's HTTP face: {@code POST /frames} (http_push), {@code POST /errors} (http_report),
 * {@code GET /health}, {@code GET /counters}, served by {@link KeepAliveServer}, at most
 * {@code threads} requests at once (16 by default: one per channel of a full box; a lower limit
 * made requests queue for a slot and, paced at 4,000 frames/s, put answer p99 at 27-90 ms).
 * Bodies are bounded per request and in total.
 */
public final class LogicHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogicHttpServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final byte[] OK = "{\"code\":0,\"msg\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    // http_push posts frames back to back; a camera that stops leaves its connection idle.
    private static final int IDLE_TIMEOUT_MS = 120_000;
    private static final int REQUEST_TIMEOUT_MS = 30_000;

    private final KeepAliveServer server;
    private final FramePipeline pipeline;
    private final Counters counters;
    private final int maxBodyBytes;
    private final long bodyBudget;
    private final AtomicLong bodiesInFlight = new AtomicLong();
    private final AtomicInteger loggedRejections = new AtomicInteger();

    public LogicHttpServer(String host, int port, int threads, int maxBodyBytes, FramePipeline pipeline,
                           Counters counters) throws IOException {
        this.pipeline = pipeline;
        this.counters = counters;
        this.maxBodyBytes = maxBodyBytes;
        // Total body bytes held at once: a few maximal bodies, so a burst cannot exhaust the heap.
        this.bodyBudget = Math.max(3L * maxBodyBytes, 48L * 1024 * 1024);
        this.server = new KeepAliveServer(host, port, threads, IDLE_TIMEOUT_MS, REQUEST_TIMEOUT_MS, Map.of(
                "/frames", this::frames,
                "/errors", this::errors,
                "/health", ex -> {
                    if (requireMethod(ex, "GET")) {
                        // The pid lets the server tell its own child from whatever else answers on the port.
                        ex.answer(200, HEALTH);
                    }
                },
                "/counters", this::counters));
    }

    private static final byte[] HEALTH = ("{\"status\":\"ok\",\"pid\":" + ProcessHandle.current().pid() + "}")
            .getBytes(StandardCharsets.UTF_8);

    public void start() {
        server.start();
    }

    public int port() {
        return server.port();
    }

    private void counters(Exchange ex) throws IOException {
        if (!requireMethod(ex, "GET")) {
            return;
        }
        int window;
        try {
            window = latencyWindow(ex.rawQuery());
        } catch (IllegalArgumentException e) {
            fail(ex, 400, e.getMessage());
            return;
        }
        ex.answer(200, JSON.writeValueAsBytes(counters.snapshot(window)));
    }

    private void frames(Exchange ex) throws IOException {
        long received = System.nanoTime();
        if (!requireMethod(ex, "POST")) {
            return;
        }
        long reserved = reserve(ex, maxBodyBytes);
        if (reserved < 0) {
            return;
        }
        try {
            int length = readBody(ex, maxBodyBytes);
            if (length < 0) {
                return;
            }
            pipeline.accept(ex.body(), length, received);
            ex.answer(200, OK);
        } catch (BadFrameException e) {
            logRejection("frame post rejected: " + e.getMessage());
            fail(ex, 400, e.getMessage());
        } catch (RuntimeException e) {
            counters.framesRejected.increment();
            LOG.error("frame post failed", e);
            fail(ex, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            bodiesInFlight.addAndGet(-reserved);
        }
    }

    private void errors(Exchange ex) throws IOException {
        if (!requireMethod(ex, "POST")) {
            return;
        }
        long reserved = reserve(ex, MAX_ERROR_BODY);
        if (reserved < 0) {
            return;
        }
        try {
            int length = readBody(ex, MAX_ERROR_BODY);
            if (length < 0) {
                return;
            }
            JsonNode node = JSON.readTree(ex.body(), 0, length);
            if (node == null || !node.isObject() || !node.has("error")) {
                counters.framesRejected.increment();
                fail(ex, 400, "an error post must be a JSON object with an \"error\" field");
                return;
            }
            String error = Credentials.mask(node.get("error").isTextual() ? node.get("error").asText() : node.get("error").toString());
            counters.reportError(error);
            LOG.warn("stream reported error: {}", error);
            ex.answer(200, OK);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            counters.framesRejected.increment();
            fail(ex, 400, "error post is not valid JSON");
        } finally {
            bodiesInFlight.addAndGet(-reserved);
        }
    }

    /**
     * Reserves the body's size (its limit when chunked) in the in-flight budget, so a burst of
     * large posts cannot exhaust the heap; returns the reservation for the caller to give back,
     * or -1 after answering 413/503 (the rejection is counted).
     */
    private long reserve(Exchange ex, int limit) throws IOException {
        long declared = ex.contentLength();
        if (declared > limit) {
            counters.framesRejected.increment();
            logRejection("post of " + declared + " bytes rejected (limit " + limit + ")");
            fail(ex, 413, "body of " + declared + " bytes exceeds the limit of " + limit);
            return -1;
        }
        long reserve = declared >= 0 ? declared : limit;
        if (bodiesInFlight.addAndGet(reserve) > bodyBudget) {
            bodiesInFlight.addAndGet(-reserve);
            counters.framesRejected.increment();
            logRejection("post rejected: too many large bodies in flight");
            fail(ex, 503, "busy: too many large bodies in flight");
            return -1;
        }
        return reserve;
    }

    /** The body's length, or -1 after answering 413 to a chunked body over limit (counted). */
    private int readBody(Exchange ex, int limit) throws IOException {
        try {
            return ex.readBody(limit);
        } catch (Exchange.BodyTooLargeException e) {
            counters.framesRejected.increment();
            logRejection("chunked post over " + limit + " bytes rejected");
            fail(ex, 413, e.getMessage());
            return -1;
        } catch (IOException e) {
            counters.framesRejected.increment();
            throw e;
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
                    throw new IllegalArgumentException("window must be 1.." + Counters.MAX_LATENCY_WINDOW_SECONDS + " seconds");
                }
                return seconds;
            }
        }
        return Counters.LATENCY_WINDOW_SECONDS;
    }

    private static boolean requireMethod(Exchange ex, String method) throws IOException {
        if (method.equals(ex.method())) {
            return true;
        }
        ex.answer(405, KeepAliveServer.error("use " + method), "Allow: " + method);
        return false;
    }

    private static void fail(Exchange ex, int status, String message) throws IOException {
        ex.answer(status, KeepAliveServer.error(message));
    }

    @Override
    public void close() {
        server.close();
    }
}
