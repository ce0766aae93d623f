package sophon.bridge.cpustream.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.config.Endpoint;
import sophon.bridge.cpustream.http.PostClients;

/**
 * Posts {"error": CODE, "channel_id": N} to http_report on its own thread, so reporting never
 * blocks decode; close() gives pending reports a few seconds to leave before the process exits.
 */
public final class HttpErrorReporter implements ErrorReporter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorReporter.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient client;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "http_report");
        t.setDaemon(true);
        return t;
    });
    private final HttpUrl uri;

    public HttpErrorReporter(Endpoint endpoint) {
        this.uri = HttpUrl.get(endpoint.url());
        this.client = PostClients.oneConnection(uri.isHttps(), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Override
    public void report(int channelId, String code) {
        String body = "{\"error\":\"" + code + "\",\"channel_id\":" + channelId + "}";
        // Bytes, not a String body: OkHttp would add "; charset=utf-8" to the Content-Type.
        Request req = new Request.Builder()
                .url(uri)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON))
                .build();
        try {
            sender.execute(() -> {
                try (Response ignored = client.newCall(req).execute()) {
                    // Best effort: the answer is not looked at, only a failure to post is logged.
                } catch (Exception e) {
                    LOG.warn("http_report {} of channel {} to {} failed: {}", code, channelId, uri, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("http_report {} of channel {} not sent: shutting down", code, channelId);
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(4, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PostClients.shutDown(client);
    }
}
