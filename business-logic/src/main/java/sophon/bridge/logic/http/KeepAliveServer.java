package sophon.bridge.logic.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's HTTP server: fixed routes by exact path, one thread per keep-alive connection
 * (http_push keeps one connection per channel open). A request is read whole (head and body,
 * within one deadline) before it waits for one of {@code concurrentRequests} handling slots, so
 * a slow client costs only its own connection, and frame work cannot crowd out the alarm
 * builder. Body bytes held at once are bounded by a budget, body buffers are reused. Connection
 * threads run at the lowest priority: alarm building and reporting come first.
 *
 * <p>Why not the JDK's com.sun.net.httpserver, which this replaced: for every 270 KB frame it
 * copied the body through three buffers in 8 KB reads, wrote each answer in two syscalls
 * (headers, then body) and woke its selector thread per request; on the 16-connection
 * benchmark that was most of the process's CPU per frame (see business-logic/README.md).
 */
public final class KeepAliveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final int MAX_CONNECTIONS = 256;
    /** Bodies up to this size are read into reused buffers; larger ones get their own. */
    static final int KEPT_BODY_MAX = 1024 * 1024;

    private static final byte[] BUSY = busyAnswer();
    private static final int FIRST_ACCEPT_BACKOFF_MS = 100;
    private static final int MAX_ACCEPT_BACKOFF_MS = 1000;
    private static final int REFUSALS_LINGERING = 64;

    /** Handles one request whose body has been read: answers exactly once. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    /** A path's method, the largest body it takes (0: none) and its handler. */
    public record Route(String method, int maxBodyBytes, Handler handler) {}

    /**
     * concurrentRequests: requests handled at once; idleTimeoutMs: how long a connection may wait
     * between requests; requestDeadlineMs: how long reading one request (head and body) may take
     * from its first byte; bodyBudgetBytes: body bytes all connections may hold at once.
     */
    public record Limits(
            int concurrentRequests,
            int maxConnections,
            int idleTimeoutMs,
            int requestDeadlineMs,
            long bodyBudgetBytes) {}

    /** Told of every request to a route that was refused or lost before its handler ran. */
    @FunctionalInterface
    public interface RefusalListener {
        void refused(String path, String reason);
    }

    private final ServerSocket listener;
    private final Map<String, Route> routes;
    private final Limits limits;
    private final RefusalListener refusals;
    private final Semaphore slots;
    private final ArrayBlockingQueue<byte[]> keptBuffers;
    private final AtomicLong bodyBytesHeld = new AtomicLong();
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final ArrayBlockingQueue<Socket> lingering = new ArrayBlockingQueue<>(REFUSALS_LINGERING);
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final Thread acceptor;
    private final Thread refusalCloser;
    private volatile boolean running = true;

    public KeepAliveServer(String host, int port, Limits limits, Map<String, Route> routes, RefusalListener refusals)
            throws IOException {
        this.routes = Map.copyOf(routes);
        this.limits = limits;
        this.refusals = refusals;
        this.slots = new Semaphore(limits.concurrentRequests(), true);
        this.keptBuffers = new ArrayBlockingQueue<>(limits.concurrentRequests());
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        // Not a daemon: the accepting thread is what keeps the process alive after main returns.
        this.acceptor = new Thread(this::accept, "http-accept");
        this.refusalCloser = new Thread(this::closeRefused, "http-refused");
        refusalCloser.setDaemon(true);
    }

    public void start() {
        refusalCloser.start();
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Accepts until closed. When accepting fails (out of file descriptors: the pending connection
     * stays queued and every accept fails at once) it waits 0.1 s, doubling to 1 s, and logs the
     * episode once, instead of spinning a core and a log line per attempt.
     */
    private void accept() {
        int failures = 0;
        long backoffMs = 0;
        while (running) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                if (failures++ == 0) {
                    LOG.warn(
                            "accepting connections fails ({}); retrying, 0.1 s doubling to 1 s apart, until one succeeds",
                            e.getMessage());
                }
                backoffMs = backoffMs == 0 ? FIRST_ACCEPT_BACKOFF_MS : Math.min(MAX_ACCEPT_BACKOFF_MS, backoffMs * 2);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (failures > 0) {
                LOG.info("accepting connections again after {} failed attempts", failures);
                failures = 0;
                backoffMs = 0;
            }
            if (connections.size() >= limits.maxConnections()) {
                refuse(socket);
                continue;
            }
            HttpConnection connection = new HttpConnection(socket, this);
            connections.add(connection);
            Thread t = new Thread(connection, "http-" + threadNumber.incrementAndGet());
            t.setPriority(Thread.MIN_PRIORITY);
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Answers 503 and hands the socket to a thread that closes it after the client stopped
     * sending: closing at once with the client's request unread would send a reset, which can
     * destroy the 503 on its way. Beyond 64 refusals waiting for that, close at once.
     */
    private void refuse(Socket socket) {
        LOG.warn(
                "connection from {} refused: {} connections are open",
                socket.getRemoteSocketAddress(),
                limits.maxConnections());
        try {
            socket.getOutputStream().write(BUSY);
            socket.shutdownOutput();
        } catch (IOException e) {
            LOG.debug("refusing a connection: {}", e.getMessage());
            HttpConnection.closeQuietly(socket);
            return;
        }
        if (!lingering.offer(socket)) {
            HttpConnection.closeQuietly(socket);
        }
    }

    private void closeRefused() {
        byte[] sink = new byte[16 * 1024];
        while (running) {
            try {
                HttpConnection.drainAndClose(lingering.take(), sink); // close() interrupts
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    Route route(String path) {
        return routes.get(path);
    }

    void ended(HttpConnection connection) {
        connections.remove(connection);
    }

    Limits limits() {
        return limits;
    }

    RefusalListener refusals() {
        return refusals;
    }

    /** Takes n bytes of the body budget; false when that would exceed it. */
    boolean reserve(long n) {
        if (bodyBytesHeld.addAndGet(n) > limits.bodyBudgetBytes()) {
            bodyBytesHeld.addAndGet(-n);
            return false;
        }
        return true;
    }

    void release(long n) {
        bodyBytesHeld.addAndGet(-n);
    }

    /** Waits up to timeoutNanos for a handling slot. */
    boolean takeSlot(long timeoutNanos) throws InterruptedException {
        return slots.tryAcquire(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    }

    void returnSlot() {
        slots.release();
    }

    /** A reused buffer of at least n (at most {@value #KEPT_BODY_MAX}) bytes. */
    byte[] borrowBuffer(int n) {
        byte[] b = keptBuffers.poll();
        if (b == null || b.length < n) {
            int grown = b == null ? n : Math.max(n, Math.min(KEPT_BODY_MAX, b.length + b.length / 8));
            b = new byte[grown];
        }
        return b;
    }

    void returnBuffer(byte[] b) {
        if (b.length <= KEPT_BODY_MAX) {
            keptBuffers.offer(b); // beyond one per slot it is left to the GC
        }
    }

    private static byte[] busyAnswer() {
        byte[] json = error("busy: too many connections");
        return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                        + "\r\nConnection: close\r\n\r\n" + new String(json, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON of a failure answer: {"code":-1,"msg":...}. */
    public static byte[] error(String message) {
        try {
            return JSON.writeValueAsBytes(Map.of("code", -1, "msg", message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops accepting, closes every connection and waits (up to 2 s) for requests being handled
     * to finish, so that a frame taken in is fully handed on before the process's next stage stops.
     */
    @Override
    public void close() {
        running = false;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener: {}", e.getMessage());
        }
        acceptor.interrupt(); // it may be backing off
        refusalCloser.interrupt();
        connections.forEach(HttpConnection::close);
        try {
            acceptor.join(2000);
            if (!slots.tryAcquire(limits.concurrentRequests(), 2, TimeUnit.SECONDS)) {
                LOG.warn("requests were still being handled at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
