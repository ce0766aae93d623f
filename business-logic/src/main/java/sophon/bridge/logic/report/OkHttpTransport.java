package sophon.bridge.logic.report;

import java.io.IOException;
import java.time.Duration;
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
import sophon.bridge.logic.outbox.Outbox;

/** The reporter's OkHttp client: connect, read and write timeouts, no retries, no redirects. */
final class OkHttpTransport implements ReportTransport {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;

    OkHttpTransport(List<HttpUrl> urls, int timeoutMs) {
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
    }

    @Override
    public Answer post(HttpUrl url, List<Outbox.Entry> batch) throws IOException {
        Request request =
                new Request.Builder().url(url).post(new ArrayBody(batch)).build();
        try (Response response = http.newCall(request).execute()) {
            String location = response.isRedirect() ? response.header("Location") : null;
            ResponseBody body = response.body();
            if (!response.isSuccessful() || body == null) {
                return new Answer(response.code(), location, null);
            }
            BufferedSource source = body.source();
            source.request(Reporter.MAX_ANSWER_BYTES);
            Buffer buffer = source.getBuffer();
            return new Answer(
                    response.code(),
                    location,
                    buffer.readByteArray(Math.min(buffer.size(), Reporter.MAX_ANSWER_BYTES)));
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** The batch as a JSON array, written straight from the stored alarm bodies. */
    private static final class ArrayBody extends RequestBody {
        private final List<Outbox.Entry> batch;
        private final long length;

        ArrayBody(List<Outbox.Entry> batch) {
            this.batch = batch;
            this.length = ReportTransport.arrayLength(batch);
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
