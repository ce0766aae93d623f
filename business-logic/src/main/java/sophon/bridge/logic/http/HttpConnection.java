package sophon.bridge.logic.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection, served by its own thread: the request head is read into a
 * small buffer, the body straight from the socket into the buffer of the server slot the request
 * holds (so a 270 KB frame is copied once in user space and allocates nothing), and each answer
 * goes out in one write. Supports Content-Length and chunked bodies and {@code Expect: 100-continue};
 * anything else in the protocol is refused with 400, 501 or 505 and the connection closed.
 */
final class HttpConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    static final int MAX_HEAD = 16 * 1024;
    /** Bodies up to this size are read into the slot's buffer; larger ones get their own. */
    static final int KEPT_BODY_MAX = 1024 * 1024;
    // Bounds each socket read: the JDK reads through a temporary direct buffer of the asked size.
    private static final int READ_CHUNK = 64 * 1024;
    private static final int MAX_TRAILER_LINES = 64;
    private static final int LINGER_MS = 200;
    private static final long LINGER_MAX_BYTES = 1024 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final KeepAliveServer server;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[MAX_HEAD];
    private int pos;
    private int limit;
    private KeepAliveServer.Slot slot;
    private byte[] body;
    private long declaredLength; // of the current request: -1 chunked, else its Content-Length
    private boolean keepAlive;
    private boolean expectContinue;
    private boolean bodyDone;
    private boolean closeAfterAnswer;
    private byte[] lastJson;
    private byte[] lastAnswer;

    HttpConnection(Socket socket, KeepAliveServer server) {
        this.socket = socket;
        this.server = server;
    }

    void close() {
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
        } catch (SocketTimeoutException e) {
            LOG.debug("connection from {} timed out", socket.getRemoteSocketAddress());
        } catch (IOException e) {
            LOG.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lingerAndClose();
            server.ended(this);
        }
    }

    /**
     * Closing a socket with unread input makes the kernel send a reset, which can destroy the
     * answer just written (a 413 to a client still sending its body): so first end our side,
     * then read and drop what still comes, briefly and boundedly.
     */
    private void lingerAndClose() {
        try {
            if (in != null && !socket.isClosed()) {
                socket.shutdownOutput();
                socket.setSoTimeout(LINGER_MS);
                byte[] sink = buf;
                long drained = 0;
                int n;
                while (drained < LINGER_MAX_BYTES && (n = in.read(sink, 0, sink.length)) > 0) {
                    drained += n;
                }
            }
        } catch (IOException e) {
            LOG.trace("lingering close: {}", e.toString());
        } finally {
            close();
        }
    }

    /** Serves one request; false when the connection is to be closed. */
    private boolean serveOne() throws IOException, InterruptedException {
        socket.setSoTimeout(server.idleTimeoutMs());
        int headEnd = readHead();
        if (headEnd < 0) {
            return false; // closed between requests
        }
        socket.setSoTimeout(server.requestTimeoutMs());
        Exchange exchange;
        try {
            exchange = parseHead(headEnd);
        } catch (ProtocolException e) {
            keepAlive = false;
            String[] parts = e.getMessage().split(" ", 2);
            answer(Integer.parseInt(parts[0]), KeepAliveServer.error(parts[1]), null);
            return false;
        }
        slot = server.slots().take();
        try {
            server.route(exchange);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.method(), exchange.path(), e);
            if (!exchange.answered()) {
                keepAlive = false;
                exchange.answer(500, KeepAliveServer.error("internal error: " + e.getClass().getSimpleName()));
            }
        } finally {
            server.slots().put(slot);
            slot = null;
        }
        if (!exchange.answered()) {
            keepAlive = false;
            exchange.answer(500, KeepAliveServer.error("no answer"));
        }
        return !closeAfterAnswer;
    }

    /** Reads until the blank line ending a request head; returns its end, or -1 at a clean EOF. */
    private int readHead() throws IOException {
        compact();
        int scanned = 0;
        while (true) {
            int end = headEnd(scanned);
            if (end >= 0) {
                return end;
            }
            scanned = Math.max(0, limit - 3);
            if (limit == buf.length) {
                keepAlive = false;
                answer(431, KeepAliveServer.error("request head over " + MAX_HEAD + " bytes"), null);
                throw new ProtocolException("request head too large");
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                if (limit == 0) {
                    return -1;
                }
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

    /** The request in buf[0..end); throws ProtocolException("status reason") for a bad one. */
    private Exchange parseHead(int end) throws ProtocolException {
        String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        pos = end;
        declaredLength = 0;
        bodyDone = false;
        closeAfterAnswer = false;
        expectContinue = false;
        body = null;
        String[] lines = head.split("\n"); // a one-char split: no regex on the per-frame path
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        int first = 0;
        while (first < lines.length && lines[first].isEmpty()) {
            first++; // stray line breaks between requests are allowed
        }
        if (first == lines.length) {
            throw new ProtocolException("400 empty request");
        }
        String[] requestLine = lines[first].split(" ");
        if (requestLine.length != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith("/")) {
            throw new ProtocolException("400 bad request line");
        }
        String version = requestLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new ProtocolException("505 HTTP/1.1 only");
        }
        keepAlive = version.equals("HTTP/1.1");
        long contentLength = -2; // none declared
        boolean chunked = false;
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new ProtocolException("400 bad header line");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                long n = parseLength(value);
                if (contentLength != -2 && contentLength != n) {
                    throw new ProtocolException("400 conflicting Content-Length");
                }
                contentLength = n;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (!value.equalsIgnoreCase("chunked")) {
                    throw new ProtocolException("501 only chunked transfer coding is supported");
                }
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection")) {
                if (value.equalsIgnoreCase("close")) {
                    keepAlive = false;
                } else if (value.equalsIgnoreCase("keep-alive")) {
                    keepAlive = true;
                }
            } else if (name.equalsIgnoreCase("Expect")) {
                if (!value.equalsIgnoreCase("100-continue")) {
                    throw new ProtocolException("417 only 100-continue is expected");
                }
                expectContinue = true;
            }
        }
        if (chunked && contentLength != -2) {
            throw new ProtocolException("400 both Content-Length and chunked");
        }
        declaredLength = chunked ? -1 : Math.max(0, contentLength);
        String target = requestLine[1];
        int q = target.indexOf('?');
        return new Exchange(this, requestLine[0], q < 0 ? target : target.substring(0, q),
                q < 0 ? null : target.substring(q + 1), declaredLength);
    }

    private static long parseLength(String value) throws ProtocolException {
        if (value.isEmpty() || value.length() > 18) {
            throw new ProtocolException("400 bad Content-Length");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new ProtocolException("400 bad Content-Length");
            }
        }
        return Long.parseLong(value);
    }

    int readBody(long contentLength, int max) throws IOException, Exchange.BodyTooLargeException {
        if (bodyDone) {
            throw new IllegalStateException("body already read");
        }
        if (contentLength > max) {
            throw new Exchange.BodyTooLargeException("body of " + contentLength + " bytes exceeds the limit of " + max);
        }
        if (expectContinue) {
            expectContinue = false;
            out.write(CONTINUE);
        }
        int n;
        if (contentLength >= 0) {
            n = (int) contentLength;
            body = n <= KEPT_BODY_MAX ? keptOf(n) : new byte[n];
            readFully(body, 0, n);
        } else {
            n = readChunked(max);
        }
        bodyDone = true;
        return n;
    }

    byte[] bodyBuffer() {
        return body;
    }

    /** The slot's buffer, grown to hold n (at most {@value #KEPT_BODY_MAX}) bytes. */
    private byte[] keptOf(int n) {
        if (slot.body.length < n) {
            slot.body = new byte[Math.min(KEPT_BODY_MAX, Math.max(n, slot.body.length * 2))];
        }
        return slot.body;
    }

    /** Buffered bytes first, then straight from the socket. */
    private void readFully(byte[] into, int off, int n) throws IOException {
        int have = Math.min(limit - pos, n);
        System.arraycopy(buf, pos, into, off, have);
        pos += have;
        int done = have;
        while (done < n) {
            int r = in.read(into, off + done, Math.min(n - done, READ_CHUNK));
            if (r < 0) {
                throw new EOFException("connection closed after " + done + " of " + n + " body bytes");
            }
            done += r;
        }
    }

    private int readChunked(int max) throws IOException, Exchange.BodyTooLargeException {
        body = keptOf(64 * 1024);
        int total = 0;
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new ProtocolException("bad chunk size '" + sizeLine + "'");
            }
            if (size == 0) {
                for (int i = 0; !readLine().isEmpty(); i++) {
                    if (i == MAX_TRAILER_LINES) {
                        throw new ProtocolException("too many trailer lines");
                    }
                }
                return total;
            }
            if (total + size > max) {
                throw new Exchange.BodyTooLargeException("chunked body over the limit of " + max + " bytes");
            }
            int needed = (int) (total + size);
            if (body.length < needed) {
                int grown = (int) Math.min(max, Math.max(needed, 2L * body.length));
                byte[] bigger = grown <= KEPT_BODY_MAX ? keptOf(grown) : new byte[grown];
                if (bigger != body) {
                    System.arraycopy(body, 0, bigger, 0, total);
                }
                body = bigger;
            }
            readFully(body, total, (int) size);
            total = needed;
            if (!readLine().isEmpty()) {
                throw new ProtocolException("chunk not followed by CRLF");
            }
        }
    }

    /** A line of the chunked framing, without its line break; bounded by the head buffer. */
    private String readLine() throws IOException {
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
                throw new ProtocolException("chunk framing line too long");
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("connection closed inside a chunked body");
            }
            limit += n;
        }
    }

    /**
     * Writes the answer in one write. The connection stays open only if the request allows it and
     * its body was read (or it had none): an unread body would be taken for the next request.
     */
    void answer(int status, byte[] json, String extraHeader) throws IOException {
        boolean bodyPending = !bodyDone && declaredLength != 0;
        closeAfterAnswer = !keepAlive || bodyPending;
        if (json == lastJson && status == 200 && !closeAfterAnswer && extraHeader == null) {
            out.write(lastAnswer); // the usual "OK" to a frame: built once per connection
            return;
        }
        StringBuilder head = new StringBuilder(128)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(json.length).append("\r\n");
        if (extraHeader != null) {
            head.append(extraHeader).append("\r\n");
        }
        if (closeAfterAnswer) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + json.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(json, 0, all, h.length, json.length);
        out.write(all);
        if (status == 200 && !closeAfterAnswer && extraHeader == null) {
            lastJson = json;
            lastAnswer = all;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Payload Too Large";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status";
        };
    }
}
