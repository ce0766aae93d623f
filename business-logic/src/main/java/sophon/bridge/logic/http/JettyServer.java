package sophon.bridge.logic.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same routes and limits as {@link KeepAliveServer}, served by Jetty 12's core API (no
 * servlets), for issue 9's A/B (selected with {@code -Dsophon.bridge.logic.http=jetty}, see
 * {@link LogicHttpServer}). Sized for one task: one selector thread that also accepts, a pool of
 * {@code concurrentRequests} + 2 threads at the lowest priority (handlers block on their body, as
 * on the hand server's connection threads), no reserved threads, 16 KB request heads, no Date or
 * Server header. Kept as the hand server does: per-route body limits and the heap-share body
 * budget (413 from the headers, 503 when it does not fit beside the bodies in flight, chunked
 * bodies reserved chunk by chunk), reused body buffers, the request deadline for the body, the
 * refusal counts, 404/405, at most {@code maxConnections} connections, the idle timeout.
 *
 * <p>Gaps against the hand server: the deadline covers the body only (Jetty reads the head under
 * its idle timeout), and a request waits for its body on a pool thread, so clients that trickle
 * bodies hold threads the cameras need instead of only their own connection; over the connection
 * limit Jetty stops accepting instead of answering 503.
 */
final class JettyServer implements FrontEnd {
    private static final Logger LOG = LoggerFactory.getLogger(JettyServer.class);
    private static final byte[] NO_BODY = new byte[0];
    private static final int EXTRA_THREADS = 2; // the selector, and one spare
    private static final int POOL_IDLE_MS = 60_000;

    private final Server server;
    private final ServerConnector connector;
    private final Map<String, KeepAliveServer.Route> routes;
    private final KeepAliveServer.Limits limits;
    private final KeepAliveServer.RefusalListener refusals;
    private final AtomicLong bodyBytesHeld = new AtomicLong();
    private final ArrayBlockingQueue<byte[]> keptBuffers;

    JettyServer(
            String host,
            int port,
            KeepAliveServer.Limits limits,
            Map<String, KeepAliveServer.Route> routes,
            KeepAliveServer.RefusalListener refusals)
            throws IOException {
        this.routes = Map.copyOf(routes);
        this.limits = limits;
        this.refusals = refusals;
        this.keptBuffers = new ArrayBlockingQueue<>(limits.concurrentRequests());
        QueuedThreadPool pool = new QueuedThreadPool(limits.concurrentRequests() + EXTRA_THREADS, 2, POOL_IDLE_MS);
        pool.setName("http");
        pool.setReservedThreads(0);
        pool.setThreadsPriority(Thread.MIN_PRIORITY);
        this.server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(HttpConnection.MAX_HEAD);
        // As the hand server's reads (up to 64 KB each): with Jetty's default 8 KB, a 270 KB frame
        // came in ~34 chunks, each a wake-up of the blocked handler thread.
        config.setInputBufferSize(64 * 1024);
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        this.connector = new ServerConnector(server, 0, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeoutMs());
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setHandler(new Routes());
        try {
            connector.open(); // bind now, as the hand server does in its constructor
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("jetty did not start", e);
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.setStopTimeout(2000);
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping jetty: {}", e.toString());
        }
    }

    private final class Routes extends Handler.Abstract {
        Routes() {
            super(InvocationType.BLOCKING);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            KeepAliveServer.Route route = routes.get(path);
            Exchange.Responder responder =
                    (status, bytes, type, extra) -> send(response, callback, status, bytes, type, extra, false);
            try {
                if (route == null) {
                    send(
                            response,
                            callback,
                            Status.NOT_FOUND,
                            KeepAliveServer.error("no such path: " + path),
                            "application/json",
                            null,
                            false);
                    return true;
                }
                if (!route.method().equals(request.getMethod())) {
                    send(
                            response,
                            callback,
                            Status.METHOD_NOT_ALLOWED,
                            KeepAliveServer.error("use " + route.method()),
                            "application/json",
                            "Allow: " + route.method(),
                            false);
                    return true;
                }
                serve(route, path, request, response, callback, responder);
            } catch (IOException e) {
                callback.failed(e);
            }
            return true;
        }

        private void serve(
                KeepAliveServer.Route route,
                String path,
                Request request,
                Response response,
                Callback callback,
                Exchange.Responder responder)
                throws IOException {
            long started = request.getBeginNanoTime();
            long deadline = started + TimeUnit.MILLISECONDS.toNanos(limits.requestDeadlineMs());
            Body body = new Body();
            try {
                readBody(route, request, deadline, body);
            } catch (HttpError e) {
                refusals.refused(path, e.status.code + " " + e.getMessage());
                body.release();
                send(
                        response,
                        callback,
                        e.status,
                        KeepAliveServer.error(e.getMessage()),
                        "application/json",
                        null,
                        true);
                return;
            } catch (IOException e) {
                refusals.refused(path, "connection lost inside the body: " + e.getMessage());
                body.release();
                callback.failed(e);
                return;
            }
            try {
                Exchange exchange = new Exchange(
                        responder,
                        request.getMethod(),
                        path,
                        request.getHttpURI().getQuery(),
                        body.bytes,
                        body.length,
                        started);
                try {
                    route.handler().handle(exchange);
                } catch (RuntimeException e) {
                    LOG.error("{} {} failed", exchange.method(), path, e);
                    if (!exchange.answered()) {
                        exchange.answer(
                                Status.INTERNAL_ERROR,
                                KeepAliveServer.error(
                                        "internal error: " + e.getClass().getSimpleName()));
                    }
                }
                if (!exchange.answered()) {
                    exchange.answer(Status.INTERNAL_ERROR, KeepAliveServer.error("no answer"));
                }
            } finally {
                body.release();
            }
        }

        /** Reads the body into a reused buffer, within the route's limit, the budget and the deadline. */
        private void readBody(KeepAliveServer.Route route, Request request, long deadline, Body body)
                throws IOException, HttpError {
            long declared = request.getLength(); // -1: chunked
            if (declared == 0) {
                return;
            }
            int max = (int) Math.min(route.maxBodyBytes(), limits.bodyBudgetBytes());
            if (declared > max) {
                throw new HttpError(
                        Status.CONTENT_TOO_LARGE, "body of " + declared + " bytes exceeds the limit of " + max);
            }
            if (declared > 0) {
                body.reserve(declared);
                body.bytes = borrowBuffer((int) declared);
            }
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    CountDownLatch ready = new CountDownLatch(1);
                    request.demand(ready::countDown);
                    long left = deadline - System.nanoTime();
                    try {
                        if (left <= 0 || !ready.await(left, TimeUnit.NANOSECONDS)) {
                            throw new HttpError(
                                    Status.REQUEST_TIMEOUT,
                                    "request not received within " + limits.requestDeadlineMs() + " ms");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while reading a body", e);
                    }
                    continue;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    if (failure instanceof org.eclipse.jetty.http.HttpException bad && bad.getCode() == 400) {
                        throw new HttpError(Status.BAD_REQUEST, failure.getMessage()); // broken chunked framing
                    }
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                try {
                    ByteBuffer bytes = chunk.getByteBuffer();
                    int n = bytes.remaining();
                    if (body.length + n > max) {
                        throw new HttpError(Status.CONTENT_TOO_LARGE, "body exceeds the limit of " + max + " bytes");
                    }
                    if (declared < 0 && n > 0) {
                        body.reserve(n);
                        body.grow(body.length + n);
                    }
                    bytes.get(body.bytes, body.length, n);
                    body.length += n;
                } finally {
                    chunk.release();
                }
                if (chunk.isLast()) {
                    return;
                }
            }
        }
    }

    /** A request's body: its buffer and the bytes of the budget it holds. */
    private final class Body {
        byte[] bytes = NO_BODY;
        int length;
        long reserved;

        void reserve(long n) throws HttpError {
            if (bodyBytesHeld.addAndGet(n) > limits.bodyBudgetBytes()) {
                bodyBytesHeld.addAndGet(-n);
                throw new HttpError(Status.SERVICE_UNAVAILABLE, "busy: too many large bodies in flight");
            }
            reserved += n;
        }

        void grow(int needed) {
            if (needed > bytes.length) {
                byte[] bigger = bytes == NO_BODY
                        ? borrowBuffer(needed)
                        : new byte[(int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length))];
                System.arraycopy(bytes, 0, bigger, 0, length);
                if (bytes != NO_BODY) {
                    returnBuffer(bytes);
                }
                bytes = bigger;
            }
        }

        void release() {
            if (reserved > 0) {
                bodyBytesHeld.addAndGet(-reserved);
                reserved = 0;
            }
            if (bytes != NO_BODY) {
                returnBuffer(bytes);
                bytes = NO_BODY;
            }
        }
    }

    /** As {@link KeepAliveServer#borrowBuffer}: a reused buffer of at least n bytes. */
    private byte[] borrowBuffer(int n) {
        byte[] b = keptBuffers.poll();
        if (b == null || b.length < n) {
            int grown = b == null ? n : Math.max(n, Math.min(KeepAliveServer.KEPT_BODY_MAX, 2 * b.length));
            b = new byte[grown];
        }
        return b;
    }

    private void returnBuffer(byte[] b) {
        if (b.length <= KeepAliveServer.KEPT_BODY_MAX) {
            keptBuffers.offer(b);
        }
    }

    /**
     * One answer; {@code close} for a refusal whose body may be left unread (as the hand server
     * does; on 404/405 Jetty itself closes when the body was not read).
     */
    private static void send(
            Response response,
            Callback callback,
            Status status,
            byte[] bytes,
            String contentType,
            String extraHeader,
            boolean close) {
        response.setStatus(status.code());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, contentType);
        headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if (extraHeader != null) {
            int colon = extraHeader.indexOf(':');
            headers.put(
                    extraHeader.substring(0, colon),
                    extraHeader.substring(colon + 1).trim());
        }
        if (close) {
            headers.put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
