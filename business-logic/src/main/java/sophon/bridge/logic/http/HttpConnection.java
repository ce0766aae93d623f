package sophon.bridge.logic.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection, served by its own thread: the request head is read into a
 * small buffer, the body straight from the socket into a reused buffer (so a 270 KB frame is
 * copied once in user space and allocates nothing), and each answer goes out in one write.
 * Head and body must arrive within the request deadline, counted from the request's first
 * byte; only then does the request wait for a handling slot. Supports Content-Length and chunked
 * bodies and {@code Expect: 100-continue} (HTTP/1.1 only); anything else in the protocol is
 * refused with 400, 408, 413, 417, 431, 501 or 505 and the connection closed.
 */
final class HttpConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    static final int MAX_HEAD = 16 * 1024;
    // Bounds each socket read: the JDK reads through a temporary direct buffer of the asked size.
    private static final int READ_CHUNK = 64 * 1024;
    private static final int FIRST_CHUNKED_BUFFER = 64 * 1024;
    private static final int MAX_TRAILER_LINES = 64;
    private static final int LINGER_READ_MS = 200;
    private static final long LINGER_MAX_MS = 1000;
    private static final long LINGER_MAX_BYTES = 1024 * 1024;
    // A read may wait this much past the request deadline, so that a fast request sets its
    // socket timeout once rather than before every read.
    private static final int DEADLINE_SLACK_MS = 100;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_BODY = new byte[0];

    /** Where the connection is in its current request. */
    private enum State {
        IDLE,
        HEAD,
        BODY,
        WAITING_FOR_SLOT,
        HANDLING,
        DONE
    }

    enum Version {
        HTTP_1_0,
        HTTP_1_1
    }

    /**
     * A parsed request head. bodyLength: -1 for a chunked body, else its Content-Length (0 without
     * one); keepAlive: whether the client lets the connection stay open after the answer.
     */
    record RequestHead(
            String method,
            String path,
            String rawQuery,
            Version version,
            long bodyLength,
            boolean keepAlive,
            boolean expectContinue) {
        boolean hasBody() {
            return bodyLength != 0;
        }
    }

    private final Socket socket;
    private final KeepAliveServer server;
    private final KeepAliveServer.Limits limits;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[MAX_HEAD];
    private final HeadParser heads = new HeadParser();
    private int pos;
    private int limit;
    private State state = State.IDLE;
    private RequestHead head; // of the current request; null until its head parsed
    private long deadlineNanos;
    private int soTimeoutMs = -1;
    private byte[] body;
    private long reserved; // body budget bytes the current request holds
    private boolean closeAfterAnswer;
    private byte[] lastJson;
    private byte[] lastAnswer;

    HttpConnection(Socket socket, KeepAliveServer server) {
        this.socket = socket;
        this.server = server;
        this.limits = server.limits();
    }

    void close() {
        closeQuietly(socket);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a connection: {}", e.getMessage());
        }
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            while (serveOne()) {
                // one request per turn, until serveOne says the connection is done
            }
        } catch (IOException e) {
            LOG.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (in != null) {
                drainAndClose(socket, buf);
            } else {
                close();
            }
            server.ended(this);
        }
    }

    /**
     * Closing a socket with unread input makes the kernel send a reset, which can destroy the
     * answer just written (a 413 or 503 to a client still sending its body): so first end our
     * side, then read and drop what still comes, briefly and boundedly.
     */
    static void drainAndClose(Socket socket, byte[] sink) {
        try {
            if (!socket.isClosed()) {
                if (!socket.isOutputShutdown()) {
                    socket.shutdownOutput();
                }
                socket.setSoTimeout(LINGER_READ_MS);
                InputStream input = socket.getInputStream();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MAX_MS);
                long drained = 0;
                int n;
                while (drained < LINGER_MAX_BYTES
                        && System.nanoTime() < until
                        && (n = input.read(sink, 0, sink.length)) > 0) {
                    drained += n;
                }
            }
        } catch (IOException e) {
            LOG.trace("lingering close: {}", e.toString());
        } finally {
            closeQuietly(socket);
        }
    }

    /** Serves one request; false when the connection is to be closed. */
    private boolean serveOne() throws IOException, InterruptedException {
        state = State.IDLE;
        head = null;
        if (!awaitRequest()) {
            return false; // closed or idle between requests
        }
        long started = System.nanoTime();
        deadlineNanos = started + TimeUnit.MILLISECONDS.toNanos(limits.requestDeadlineMs());
        state = State.HEAD;
        KeepAliveServer.Route route = null;
        try {
            head = parseHead(readHead());
            route = server.route(head.path());
            if (route == null) {
                throw new HttpError(Status.NOT_FOUND, "no such path: " + head.path());
            }
            if (!route.method().equals(head.method())) {
                answer(
                        Status.METHOD_NOT_ALLOWED,
                        KeepAliveServer.error("use " + route.method()),
                        "Allow: " + route.method());
                return !closeAfterAnswer;
            }
            int length = readBody(route);
            state = State.WAITING_FOR_SLOT;
            if (!server.takeSlot(deadlineNanos - System.nanoTime())) {
                throw new HttpError(
                        Status.SERVICE_UNAVAILABLE,
                        "busy: all " + limits.concurrentRequests() + " request slots stayed taken");
            }
            try {
                state = State.HANDLING;
                handle(route, new Exchange(this, head, body, length, started));
            } finally {
                server.returnSlot();
            }
            return !closeAfterAnswer;
        } catch (HttpError e) {
            if (route != null) {
                server.refusals().refused(head.path(), e.status.code + " " + e.getMessage());
            }
            answer(e.status, KeepAliveServer.error(e.getMessage()), null);
            return !closeAfterAnswer;
        } catch (IOException e) {
            if (route != null && state == State.BODY) {
                server.refusals().refused(head.path(), "connection lost inside the body: " + e.getMessage());
            }
            throw e;
        } finally {
            releaseBody();
        }
    }

    private void handle(KeepAliveServer.Route route, Exchange exchange) throws IOException {
        try {
            route.handler().handle(exchange);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.method(), exchange.path(), e);
            if (!exchange.answered()) {
                exchange.answer(
                        Status.INTERNAL_ERROR,
                        KeepAliveServer.error("internal error: " + e.getClass().getSimpleName()));
            }
        }
        if (!exchange.answered()) {
            exchange.answer(Status.INTERNAL_ERROR, KeepAliveServer.error("no answer"));
        }
    }

    /**
     * Waits (up to the idle timeout) for the next request's first bytes; false at a clean end of
     * the connection or when it stayed idle.
     */
    private boolean awaitRequest() throws IOException {
        compact();
        if (limit > 0) {
            return true; // pipelined: already here
        }
        setSoTimeout(limits.idleTimeoutMs());
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (SocketTimeoutException e) {
            LOG.debug(
                    "connection from {} idle for {} ms: closed",
                    socket.getRemoteSocketAddress(),
                    limits.idleTimeoutMs());
            return false;
        }
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private void setSoTimeout(int ms) throws IOException {
        if (ms != soTimeoutMs) {
            socket.setSoTimeout(ms);
            soTimeoutMs = ms;
        }
    }

    /** A read bounded by what is left of the request deadline (408 when it is over). */
    private int read(byte[] into, int off, int len) throws IOException, HttpError {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (leftMs <= 0) {
            throw pastDeadline();
        }
        if (soTimeoutMs <= 0 || soTimeoutMs > leftMs + DEADLINE_SLACK_MS) {
            setSoTimeout((int) leftMs);
        }
        try {
            return in.read(into, off, len);
        } catch (SocketTimeoutException e) {
            throw pastDeadline();
        }
    }

    private HttpError pastDeadline() {
        return new HttpError(
                Status.REQUEST_TIMEOUT,
                "the request was not complete within " + limits.requestDeadlineMs() + " ms of its first byte");
    }

    /** Reads until the blank line ending a request head; returns its end. */
    private int readHead() throws IOException, HttpError {
        int scanned = 0;
        while (true) {
            int end = headEnd(scanned);
            if (end >= 0) {
                return end;
            }
            scanned = Math.max(0, limit - 3);
            if (limit == buf.length) {
                throw new HttpError(Status.HEADERS_TOO_LARGE, "request head over " + MAX_HEAD + " bytes");
            }
            int n = read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("connection closed inside a request head");
            }
            limit += n;
        }
    }

    /** Moves the unread bytes of buf to its start, making room for the next read. */
    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }

    private int headEnd(int from) {
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < limit && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < limit && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The request in buf[0..end), by RFC 9112. */
    private RequestHead parseHead(int end) throws HttpError {
        pos = end;
        return heads.parse(buf, end);
    }

    /**
     * Reads the body against the route's limit (and the whole budget, which no body may exceed),
     * holding its bytes in the body budget; returns its length.
     */
    private int readBody(KeepAliveServer.Route route) throws IOException, HttpError {
        state = State.BODY;
        long declared = head.bodyLength();
        if (declared == 0) {
            body = NO_BODY;
            return 0;
        }
        int max = (int) Math.min(route.maxBodyBytes(), limits.bodyBudgetBytes());
        if (declared > max) {
            throw new HttpError(Status.CONTENT_TOO_LARGE, "body of " + declared + " bytes exceeds the limit of " + max);
        }
        if (declared > 0) {
            reserve(declared);
        }
        if (head.expectContinue()) {
            out.write(CONTINUE);
        }
        if (declared < 0) {
            return readChunked(max);
        }
        int n = (int) declared;
        body = n <= KeepAliveServer.KEPT_BODY_MAX ? server.borrowBuffer(n) : new byte[n];
        readFully(body, 0, n);
        return n;
    }

    private void reserve(long n) throws HttpError {
        if (!server.reserve(n)) {
            throw new HttpError(Status.SERVICE_UNAVAILABLE, "busy: too many large bodies in flight");
        }
        reserved += n;
    }

    private void releaseBody() {
        if (reserved > 0) {
            server.release(reserved);
            reserved = 0;
        }
        if (body != null && body != NO_BODY) {
            server.returnBuffer(body);
        }
        body = null;
    }

    /** Buffered bytes first, then straight from the socket. */
    private void readFully(byte[] into, int off, int n) throws IOException, HttpError {
        int have = Math.min(limit - pos, n);
        System.arraycopy(buf, pos, into, off, have);
        pos += have;
        int done = have;
        while (done < n) {
            int r = read(into, off + done, Math.min(n - done, READ_CHUNK));
            if (r < 0) {
                throw new EOFException("connection closed after " + done + " of " + n + " body bytes");
            }
            done += r;
        }
    }

    /** A chunked body, each chunk's bytes taken from the budget as it comes. */
    private int readChunked(int max) throws IOException, HttpError {
        body = server.borrowBuffer(Math.min(max, FIRST_CHUNKED_BUFFER));
        int total = 0;
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            long size = -1;
            if (!hex.isEmpty() && hex.length() <= 8) {
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    size = -1;
                }
            }
            if (size < 0) {
                throw new HttpError(Status.BAD_REQUEST, "bad chunk size line");
            }
            if (size == 0) {
                for (int i = 0; !readLine().isEmpty(); i++) {
                    if (i == MAX_TRAILER_LINES) {
                        throw new HttpError(Status.BAD_REQUEST, "more than " + MAX_TRAILER_LINES + " trailer lines");
                    }
                }
                return total;
            }
            if (total + size > max) {
                throw new HttpError(Status.CONTENT_TOO_LARGE, "chunked body over the limit of " + max + " bytes");
            }
            reserve(size);
            int needed = (int) (total + size);
            if (body.length < needed) {
                int grown = (int) Math.min(max, Math.max(needed, 2L * body.length));
                byte[] bigger = grown <= KeepAliveServer.KEPT_BODY_MAX ? server.borrowBuffer(grown) : new byte[grown];
                System.arraycopy(body, 0, bigger, 0, total);
                server.returnBuffer(body);
                body = bigger;
            }
            readFully(body, total, (int) size);
            total = needed;
            if (!readLine().isEmpty()) {
                throw new HttpError(Status.BAD_REQUEST, "chunk data not followed by a line break");
            }
        }
    }

    /** A line of the chunked framing, without its line break; bounded by the head buffer. */
    private String readLine() throws IOException, HttpError {
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            compact();
            if (limit == buf.length) {
                throw new HttpError(Status.BAD_REQUEST, "chunk framing line over " + MAX_HEAD + " bytes");
            }
            int n = read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("connection closed inside a chunked body");
            }
            limit += n;
        }
    }

    /**
     * Writes the answer in one write. The connection stays open only if the request allows it and
     * its body was read (or it had none): an unread body would be taken for the next request.
     * An HTTP/1.0 client is told when it stays open, since it would close otherwise.
     */
    void answer(Status status, byte[] json, String extraHeader) throws IOException {
        answer(status, json, "application/json", extraHeader);
    }

    /** As {@link #answer(Status, byte[], String)}, with another Content-Type (a JPEG snapshot). */
    void answer(Status status, byte[] json, String contentType, String extraHeader) throws IOException {
        boolean bodyUnread = head == null || (head.hasBody() && (state == State.HEAD || state == State.BODY));
        closeAfterAnswer = bodyUnread || !head.keepAlive();
        boolean http10 = head != null && head.version() == Version.HTTP_1_0;
        state = State.DONE;
        boolean cacheable = status == Status.OK
                && !closeAfterAnswer
                && extraHeader == null
                && !http10
                && "application/json".equals(contentType);
        if (cacheable && json == lastJson) {
            out.write(lastAnswer); // the usual "OK" to a frame: built once per connection
            return;
        }
        StringBuilder h = new StringBuilder(128)
                .append("HTTP/1.1 ")
                .append(status.code)
                .append(' ')
                .append(status.reason)
                .append("\r\nContent-Type: ")
                .append(contentType)
                .append("\r\nContent-Length: ")
                .append(json.length)
                .append("\r\n");
        if (extraHeader != null) {
            h.append(extraHeader).append("\r\n");
        }
        if (closeAfterAnswer) {
            h.append("Connection: close\r\n");
        } else if (http10) {
            h.append("Connection: keep-alive\r\n");
        }
        h.append("\r\n");
        byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + json.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(json, 0, all, headBytes.length, json.length);
        out.write(all);
        if (cacheable) {
            lastJson = json;
            lastAnswer = all;
        }
    }
}
