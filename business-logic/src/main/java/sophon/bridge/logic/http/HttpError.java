package sophon.bridge.logic.http;

/**
 * A request the server refuses: the status to answer and a one-sentence reason for the client.
 * Not an IOException, so that a refusal can never be mistaken for the connection failing.
 */
final class HttpError extends Exception {
    final Status status;

    HttpError(Status status, String reason) {
        super(reason, null, false, false); // control flow, not a fault: no stack trace
        this.status = status;
    }
}
