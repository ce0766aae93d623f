package sophon.bridge.cpustream.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The OkHttp clients of http_push and http_report: one per poster, each with a pool of one kept
 * connection, calls made synchronously on the poster's own thread. OkHttp is the project's one
 * HTTP client (business-logic/README.md: the JDK's client cost ~6 MB more per process).
 */
public final class PostClients {
    /** Under business logic's 120 s idle timeout, so a kept connection is never one it is closing. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private PostClients() {}

    /**
     * A client that posts at most once: no silent retry (a post that may have arrived is not sent
     * again; the next frame is newer anyway), no redirects, HTTP/1.1 only. connect bounds the
     * connection set-up, call the whole exchange.
     */
    public static OkHttpClient oneConnection(boolean https, Duration connect, Duration call) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectTimeout(connect)
                .readTimeout(call)
                .writeTimeout(call)
                .callTimeout(call)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(1, KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS));
        if (!https) {
            // Plain http (business logic on loopback): skips building a TLS context per client.
            b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return b.build();
    }

    /**
     * Closes the kept connection. Nothing else holds a thread: synchronous calls never start the
     * dispatcher's executor (asking for it would create it), and the pool's clean-up runs on
     * OkHttp's shared daemon "OkHttp TaskRunner" thread, which ends a minute after its last task.
     */
    public static void shutDown(OkHttpClient client) {
        client.connectionPool().evictAll();
    }
}
