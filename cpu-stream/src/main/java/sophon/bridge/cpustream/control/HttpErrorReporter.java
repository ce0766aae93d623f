package sophon.bridge.cpustream.control;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.config.Endpoint;

/**
 * Posts {"error": CODE, "channel_id": N} to http_report on its own thread, so reporting never
 * blocks decode; close() gives pending reports a few seconds to leave before the process exits.
 */
public final class HttpErrorReporter implements ErrorReporter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorReporter.class);
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "http_report");
        t.setDaemon(true);
        return t;
    });
    private final URI uri;

    public HttpErrorReporter(Endpoint endpoint) {
        this.uri = URI.create(endpoint.url());
    }

    @Override
    public void report(int channelId, String code) {
        String body = "{\"error\":\"" + code + "\",\"channel_id\":" + channelId + "}";
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            sender.execute(() -> {
                try {
                    client.send(req, HttpResponse.BodyHandlers.discarding());
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
    }
}
