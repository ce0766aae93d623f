package sophon.bridge.logic.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.frame.BadFrameException;
import sophon.bridge.logic.Counters;
import sophon.bridge.logic.intake.FramePipeline;

/**
 * The process's HTTP face: {@code POST /frames} (http_push), {@code POST /errors} (http_report),
 * {@code GET /health}, {@code GET /counters}.
 *
 * <p>The JDK's built-in server rather than Javalin/Jetty: four fixed routes need no framework,
 * it starts in a few ms with a few MB of heap (one child per task, so footprint counts), and
 * with a small worker pool (2 by default: measured better than 4 on two cores, as the alarm
 * builder then gets more of the CPU) and TCP_NODELAY it answers keep-alive posts of 270 KB
 * frames in ~3 ms (see bench/). Bodies are bounded per request and in total.
 */
public final class LogicHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogicHttpServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final byte[] OK = "{\"code\":0,\"msg\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    static {
        // Without it, Nagle + delayed ACK add up to 40 ms to small answers on keep-alive connections.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // With a small worker pool, a client that stops mid-request must not hold a worker for good.
        System.setProperty("sun.net.httpserver.maxReqTime", "30");
    }

    private final HttpServer server;
    private final ExecutorService workers;
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
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/frames", this::frames);
        server.createContext("/errors", this::errors);
        server.createContext("/health", ex -> {
            if (requireMethod(ex, "GET")) {
                answer(ex, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/counters", ex -> {
            if (requireMethod(ex, "GET")) {
                int window;
                try {
                    window = latencyWindow(ex.getRequestURI().getRawQuery());
                } catch (IllegalArgumentException e) {
                    fail(ex, 400, e.getMessage());
                    return;
                }
                answer(ex, 200, JSON.writeValueAsBytes(counters.snapshot(window)));
            }
        });
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void frames(HttpExchange ex) throws IOException {
        long received = System.nanoTime();
        if (!requireMethod(ex, "POST")) {
            return;
        }
        Body body = readBody(ex, maxBodyBytes);
        if (body == null) {
            return;
        }
        try {
            pipeline.accept(body.bytes, body.length, received);
            answer(ex, 200, OK);
        } catch (BadFrameException e) {
            logRejection("frame post rejected: " + e.getMessage());
            fail(ex, 400, e.getMessage());
        } catch (RuntimeException e) {
            counters.framesRejected.increment();
            LOG.error("frame post failed", e);
            fail(ex, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            bodiesInFlight.addAndGet(-body.reserved);
        }
    }

    private void errors(HttpExchange ex) throws IOException {
        if (!requireMethod(ex, "POST")) {
            return;
        }
        Body body = readBody(ex, MAX_ERROR_BODY);
        if (body == null) {
            return;
        }
        try {
            JsonNode node = JSON.readTree(body.bytes, 0, body.length);
            if (node == null || !node.isObject() || !node.has("error")) {
                counters.framesRejected.increment();
                fail(ex, 400, "an error post must be a JSON object with an \"error\" field");
                return;
            }
            String error = node.get("error").isTextual() ? node.get("error").asText() : node.get("error").toString();
            counters.reportError(error);
            LOG.warn("stream reported error: {}", error);
            answer(ex, 200, OK);
        } catch (IOException e) {
            counters.framesRejected.increment();
            fail(ex, 400, "error post is not valid JSON");
        } finally {
            bodiesInFlight.addAndGet(-body.reserved);
        }
    }

    private record Body(byte[] bytes, int length, long reserved) {
    }

    /**
     * Per-thread request buffer: 270 KB frames at thousands per second would otherwise allocate
     * about 1 GB/s. Bodies up to {@value #REUSED_BODY_MAX} bytes are read into it; larger ones get
     * their own array so one huge post does not pin memory.
     */
    private static final int REUSED_BODY_MAX = 4 * 1024 * 1024;
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[512 * 1024]);

    private static byte[] buffer(int size) {
        if (size > REUSED_BODY_MAX) {
            return new byte[size];
        }
        byte[] b = BUFFER.get();
        if (b.length < size) {
            b = new byte[Math.max(size, Math.min(REUSED_BODY_MAX, b.length * 2))];
            BUFFER.set(b);
        }
        return b;
    }

    /** The request body, or null after answering 413/503/400 (the rejection is counted). */
    private Body readBody(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                counters.framesRejected.increment();
                fail(ex, 400, "bad Content-Length");
                return null;
            }
        }
        if (length > limit) {
            counters.framesRejected.increment();
            logRejection("post of " + length + " bytes rejected (limit " + limit + ")");
            fail(ex, 413, "body of " + length + " bytes exceeds the limit of " + limit);
            return null;
        }
        long reserve = length >= 0 ? length : limit;
        if (bodiesInFlight.addAndGet(reserve) > bodyBudget) {
            bodiesInFlight.addAndGet(-reserve);
            counters.framesRejected.increment();
            logRejection("post rejected: too many large bodies in flight");
            fail(ex, 503, "busy: too many large bodies in flight");
            return null;
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes;
            int n;
            if (length >= 0) {
                bytes = buffer((int) length);
                n = in.readNBytes(bytes, 0, (int) length);
                if (n != length) {
                    throw new IOException("body ended after " + n + " of " + length + " bytes");
                }
            } else {
                bytes = new byte[64 * 1024];
                n = 0;
                int r;
                while ((r = in.read(bytes, n, bytes.length - n)) >= 0) {
                    n += r;
                    if (n > limit) {
                        bodiesInFlight.addAndGet(-reserve);
                        counters.framesRejected.increment();
                        logRejection("chunked post over " + limit + " bytes rejected");
                        fail(ex, 413, "body exceeds the limit of " + limit);
                        return null;
                    }
                    if (n == bytes.length) {
                        bytes = Arrays.copyOf(bytes, Math.min(limit + 1, bytes.length * 2));
                    }
                }
            }
            return new Body(bytes, n, reserve);
        } catch (IOException e) {
            bodiesInFlight.addAndGet(-reserve);
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

    private static boolean requireMethod(HttpExchange ex, String method) throws IOException {
        if (method.equals(ex.getRequestMethod())) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", method);
        fail(ex, 405, "use " + method);
        return false;
    }

    private static void fail(HttpExchange ex, int status, String message) throws IOException {
        answer(ex, status, JSON.writeValueAsBytes(Map.of("code", -1, "msg", message)));
    }

    private static void answer(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
