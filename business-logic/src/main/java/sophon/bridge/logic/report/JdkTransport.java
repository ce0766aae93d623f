package sophon.bridge.logic.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import sophon.bridge.logic.outbox.Outbox;

/**
 * The reporter on the JDK's java.net.http client (issue 9's A/B against {@link OkHttpTransport}):
 * HTTP/1.1, connect timeout, one timeout for the whole exchange (the JDK client has no separate
 * read and write timeouts), no redirects; it never retries a POST.
 */
final class JdkTransport implements ReportTransport {
    private static final byte[] OPEN = {'['};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']'};

    private final HttpClient http;
    private final Duration timeout;

    JdkTransport(int timeoutMs) {
        this.timeout = Duration.ofMillis(2L * timeoutMs);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Math.min(3000, timeoutMs)))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Answer post(HttpUrl url, List<Outbox.Entry> batch) throws IOException, InterruptedException {
        List<byte[]> parts = new ArrayList<>(2 * batch.size() + 1);
        parts.add(OPEN);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                parts.add(COMMA);
            }
            parts.add(batch.get(i).body());
        }
        parts.add(CLOSE);
        HttpRequest request = HttpRequest.newBuilder(url.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofByteArrays(parts), ReportTransport.arrayLength(batch)))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int code = response.statusCode();
        String location = ReportTransport.isRedirect(code)
                ? response.headers().firstValue("Location").orElse(null)
                : null;
        try (InputStream body = response.body()) {
            if (code < 200 || code > 299) {
                return new Answer(code, location, null);
            }
            return new Answer(code, location, body.readNBytes(Reporter.MAX_ANSWER_BYTES));
        }
    }

    @Override
    public void close() {
        // The JDK 17 client has no close: its selector thread ends when the client is unreachable.
    }
}
