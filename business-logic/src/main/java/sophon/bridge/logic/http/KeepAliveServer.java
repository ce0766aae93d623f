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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's HTTP server: fixed routes by exact path, one thread per keep-alive connection
 * (http_push keeps one connection per channel open), and at most {@code concurrentRequests}
 * requests handled at once, each holding a slot with a reusable body buffer (taken in arrival
 * order), so that frame work cannot crowd out the alarm builder and bodies need no allocation.
 * Connection threads run at the lowest priority: alarm building and reporting come first.
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
    private static final byte[] BUSY = busyAnswer();

    /** Handles one request: reads its body if it wants it, answers exactly once. */
    @FunctionalInterface
    public interface Route {
        void handle(Exchange exchange) throws IOException;
    }

    private final ServerSocket listener;
    private final Map<String, Route> routes;
    private final int concurrentRequests;
    private final ArrayBlockingQueue<Slot> slots;
    private final int idleTimeoutMs;
    private final int requestTimeoutMs;
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean running = true;

    /**
     * idleTimeoutMs: how long a connection may wait between requests; requestTimeoutMs: how long
     * any read inside a request may take.
     */
    public KeepAliveServer(String host, int port, int concurrentRequests, int idleTimeoutMs, int requestTimeoutMs,
                           Map<String, Route> routes) throws IOException {
        this.routes = Map.copyOf(routes);
        this.concurrentRequests = concurrentRequests;
        this.slots = new ArrayBlockingQueue<>(concurrentRequests, true);
        for (int i = 0; i < concurrentRequests; i++) {
            slots.add(new Slot());
        }
        this.idleTimeoutMs = idleTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        // Not a daemon: the accepting thread is what keeps the process alive after main returns.
        this.acceptor = new Thread(this::accept, "http-accept");
    }

    public void start() {
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (running) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warn("accepting a connection failed: {}", e.getMessage());
                }
                continue;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
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

    private static void refuse(Socket socket) {
        LOG.warn("connection from {} refused: {} connections are open", socket.getRemoteSocketAddress(), MAX_CONNECTIONS);
        try (socket) {
            socket.getOutputStream().write(BUSY);
        } catch (IOException e) {
            LOG.debug("refusing a connection: {}", e.getMessage());
        }
    }

    void route(Exchange exchange) throws IOException {
        Route route = routes.get(exchange.path());
        if (route == null) {
            exchange.answer(404, error("no such path: " + exchange.path()));
            return;
        }
        route.handle(exchange);
    }

    void ended(HttpConnection connection) {
        connections.remove(connection);
    }

    /** What handling one request needs besides its thread: here, the body buffer. */
    static final class Slot {
        byte[] body = new byte[0];
    }

    ArrayBlockingQueue<Slot> slots() {
        return slots;
    }

    int idleTimeoutMs() {
        return idleTimeoutMs;
    }

    int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    private static byte[] busyAnswer() {
        byte[] json = error("busy: too many connections");
        return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                + "\r\nConnection: close\r\n\r\n" + new String(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
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
        connections.forEach(HttpConnection::close);
        try {
            acceptor.join(2000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int i = 0; i < concurrentRequests; i++) {
                if (slots.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) == null) {
                    LOG.warn("requests were still being handled at shutdown");
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
