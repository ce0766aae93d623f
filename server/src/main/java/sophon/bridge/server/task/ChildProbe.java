package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Talks to business-logic children on loopback: readiness ({@code /health}) and {@code /counters}. */
public final class ChildProbe {
    private static final long POLL_MILLIS = 40;
    private final OkHttpClient http;
    private final ObjectMapper json;

    public ChildProbe(ObjectMapper json) {
        this.json = json;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(3))
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Polls {@code /health} until it answers 200 (true), or the child died, we gave up or timed out (false). */
    public boolean awaitHealthy(int port, Duration timeout, BooleanSupplier keepTrying) {
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/health").get().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && keepTrying.getAsBoolean()) {
            try (Response response = http.newCall(request).execute()) {
                if (response.code() == 200) {
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

    /** Fetches {@code /counters} without blocking; {@code sink} gets the JSON object on success. */
    public void fetchCounters(int port, Consumer<JsonNode> sink) {
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/counters").get().build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                // Counters are informative; the watchdog decides about the child's health.
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response; ResponseBody body = response.body()) {
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
