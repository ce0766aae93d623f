package sophon.bridge.cpustream.source;

/** A source that cannot be opened or read; the message says which and why. */
public final class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
