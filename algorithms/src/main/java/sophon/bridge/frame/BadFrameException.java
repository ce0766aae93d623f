package sophon.bridge.frame;

/** A post that is not a usable frame; the message says why in one plain sentence. */
public final class BadFrameException extends Exception {
    public BadFrameException(String message) {
        super(message);
    }

    public BadFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
