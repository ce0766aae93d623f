package sophon.bridge.logic.http;

import java.io.IOException;

/**
 * One request as a route sees it. The body is read only when the route asks for it, against the
 * route's own limit, so an oversized post is refused from its headers. A route answers exactly
 * once; a body left unread closes the connection after the answer.
 */
public final class Exchange {
    private final HttpConnection connection;
    private final String method;
    private final String path;
    private final String rawQuery;
    private final long contentLength;
    private boolean answered;

    Exchange(HttpConnection connection, String method, String path, String rawQuery, long contentLength) {
        this.connection = connection;
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.contentLength = contentLength;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The query string without '?', or null. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The declared body length; -1 for a chunked body, whose length is known only once read. */
    public long contentLength() {
        return contentLength;
    }

    /**
     * Reads the whole body into a buffer owned by the connection (valid until the answer) and
     * returns its length; throws BodyTooLargeException past limit bytes.
     */
    public int readBody(int limit) throws IOException, BodyTooLargeException {
        return connection.readBody(contentLength, limit);
    }

    /** The body read by {@link #readBody}. */
    public byte[] body() {
        return connection.bodyBuffer();
    }

    public void answer(int status, byte[] json) throws IOException {
        answer(status, json, null);
    }

    /** extraHeader: one "Name: value" line without CRLF, or null. */
    public void answer(int status, byte[] json, String extraHeader) throws IOException {
        if (answered) {
            throw new IllegalStateException("answered twice");
        }
        answered = true;
        connection.answer(status, json, extraHeader);
    }

    boolean answered() {
        return answered;
    }

    /** A body over the route's limit; nothing of it is kept. */
    public static final class BodyTooLargeException extends Exception {
        BodyTooLargeException(String message) {
            super(message);
        }
    }
}
