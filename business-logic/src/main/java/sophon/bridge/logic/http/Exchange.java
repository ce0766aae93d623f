package sophon.bridge.logic.http;

import java.io.IOException;

/**
 * One request as a handler sees it: its body already read whole (within the route's limit and
 * the server's body budget). A handler answers exactly once; the body buffer is valid until then.
 */
public final class Exchange {
    /** Writes the one answer of the request, on whichever server read it. */
    interface Responder {
        void answer(Status status, byte[] body, String contentType, String extraHeader) throws IOException;
    }

    private final Responder responder;
    private final String method;
    private final String path;
    private final String rawQuery;
    private final byte[] body;
    private final int bodyLength;
    private final long startedNanos;
    private boolean answered;

    Exchange(
            HttpConnection connection,
            HttpConnection.RequestHead head,
            byte[] body,
            int bodyLength,
            long startedNanos) {
        this(connection, head.method(), head.path(), head.rawQuery(), body, bodyLength, startedNanos);
    }

    Exchange(
            Responder responder,
            String method,
            String path,
            String rawQuery,
            byte[] body,
            int bodyLength,
            long startedNanos) {
        this.responder = responder;
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.body = body;
        this.bodyLength = bodyLength;
        this.startedNanos = startedNanos;
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

    /** The body, in body()[0..bodyLength()). */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** System.nanoTime() when the request's first byte was read. */
    public long startedNanos() {
        return startedNanos;
    }

    public void answer(Status status, byte[] json) throws IOException {
        answer(status, json, null);
    }

    /** extraHeader: one "Name: value" line without CRLF, or null. */
    public void answer(Status status, byte[] json, String extraHeader) throws IOException {
        if (answered) {
            throw new IllegalStateException("answered twice");
        }
        answered = true;
        responder.answer(status, json, "application/json", extraHeader);
    }

    /** A 200 with a body that is not JSON (the snapshot's JPEG). */
    public void answerBytes(byte[] body, String contentType) throws IOException {
        if (answered) {
            throw new IllegalStateException("answered twice");
        }
        answered = true;
        responder.answer(Status.OK, body, contentType, null);
    }

    boolean answered() {
        return answered;
    }
}
