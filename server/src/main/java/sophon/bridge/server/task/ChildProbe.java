package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Talks to business-logic children on loopback: readiness ({@code /health}) and {@code /counters}. */
public final class ChildProbe {
    private static final long POLL_MILLIS = 40;
    /** Entries are capped at 1000 (--max-tasks); idle loopback connections cost next to nothing. */
    private static final int MAX_IDLE_CONNECTIONS = 1024;

    private final OkHttpClient http;
    private final ObjectMapper json;

    public ChildProbe(ObjectMapper json) {
        this.json = json;
        // Every child is on 127.0.0.1: OkHttp's default of 5 calls per host would queue the
        // questions to healthy children behind those to a hung one.
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(3))
                .retryOnConnectionFailure(false)
                // One kept connection per child: OkHttp's default pool keeps 5, so with 16 children
                // most polls (two per child every 2 s) opened a new connection, and business logic
                // started and ended a connection thread for each one.
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 60, TimeUnit.SECONDS))
                .build();
    }

    /** Polls {@code /health} until it answers 200 (true), or the child died, we gave up or timed out (false). */
    public boolean awaitHealthy(int port, Duration timeout, BooleanSupplier keepTrying) {
        return awaitHealthy(port, timeout, keepTrying, 0);
    }

    /**
     * As above, and the answer must come from process {@code pid} (business logic puts its pid in
     * {@code /health}): a port taken by anyone else between allocation and bind answers too, and
     * a child that failed to bind must not count as ready. 0 accepts any 200 answer. With a pid, a
     * 503 of that pid counts as ready too: the child is up and says its outbox cannot be written
     * (a full or locked disk), which restarting it would not cure.
     */
    public boolean awaitHealthy(int port, Duration timeout, BooleanSupplier keepTrying, long pid) {
        Request request = new Request.Builder()
                .url("http://127.0.0.1:" + port + "/health")
                .get()
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && keepTrying.getAsBoolean()) {
            try (Response response = http.newCall(request).execute()) {
                boolean answered = response.code() == 200 || response.code() == 503 && pid != 0;
                if (answered && (pid == 0 || answeredBy(response, pid))) {
                    return true;
                }
            } catch (IOException notYet) {
                // Not listening yet: keep polling.
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private boolean answeredBy(Response response, long pid) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return false;
        }
        JsonNode node = json.readTree(body.byteStream());
        return node != null && node.path("pid").asLong() == pid;
    }

    /**
     * Asks {@code /health} once without blocking; {@code answer} gets true for any HTTP answer (a
     * busy process that answers 503 is alive, not hung), false for no answer (timeouts included).
     */
    public void askHealth(int port, Consumer<Boolean> answer) {
        Request request = new Request.Builder()
                .url("http://127.0.0.1:" + port + "/health")
                .get()
                .build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                answer.accept(false);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    answer.accept(true);
                }
            }
        });
    }

    /**
     * Business logic's {@code GET /snapshot}: the JPEG of its newest frame (at most maxBytes), or
     * null when it has none recent (it answers 503) or answered something else.
     */
    public byte[] snapshot(int port, int maxBytes) throws IOException {
        Request request = new Request.Builder()
                .url("http://127.0.0.1:" + port + "/snapshot")
                .get()
                .build();
        try (Response response = http.newCall(request).execute();
                ResponseBody body = response.body()) {
            if (response.code() != 200 || body == null || !"image/jpeg".equals(response.header("Content-Type"))) {
                return null;
            }
            okio.BufferedSource source = body.source();
            source.request(maxBytes); // the whole body, or maxBytes of it
            byte[] jpeg =
                    source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), maxBytes));
            return jpeg.length > 2 ? jpeg : null;
        }
    }

    /** Fetches {@code /counters} without blocking; {@code sink} gets the JSON object on success. */
    public void fetchCounters(int port, Consumer<JsonNode> sink) {
        Request request = new Request.Builder()
                .url("http://127.0.0.1:" + port + "/counters")
                .get()
                .build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                // Counters are informative; the watchdog decides about the child's health.
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response;
                        ResponseBody body = response.body()) {
                    if (response.code() == 200 && body != null) {
                        JsonNode node = json.readTree(body.byteStream());
                        if (node != null && node.isObject()) {
                            sink.accept(node);
                        }
                    }
                } catch (IOException ignored) {
                    // Same as above: a missed sample is replaced by the next one.
                }
            }
        });
    }

    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
