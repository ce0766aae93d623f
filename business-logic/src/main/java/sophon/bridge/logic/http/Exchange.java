package sophon.bridge.logic.http;

import java.io.IOException;

/**
 * One request as a handler sees it: its body already read whole (within the route's limit and
 * the server's body budget). A handler answers exactly once; the body buffer is valid until then.
 */
public final class Exchange {
    private final HttpConnection connection;
    private final HttpConnection.RequestHead head;
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
        this.connection = connection;
        this.head = head;
        this.body = body;
        this.bodyLength = bodyLength;
        this.startedNanos = startedNanos;
    }

    public String method() {
        return head.method();
    }

    public String path() {
        return head.path();
    }

    /** The query string without '?', or null. */
    public String rawQuery() {
        return head.rawQuery();
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
        connection.answer(status, json, extraHeader);
    }

    /** A 200 with a body that is not JSON (the snapshot's JPEG). */
    public void answerBytes(byte[] body, String contentType) throws IOException {
        if (answered) {
            throw new IllegalStateException("answered twice");
        }
        answered = true;
        connection.answer(Status.OK, body, contentType, null);
    }

    boolean answered() {
        return answered;
    }
}
