package sophon.bridge.alarm;

/** The frame's image cannot make an alarm (not base64, not a JPEG); the message says which. */
public final class AlarmImageException extends Exception {
    public AlarmImageException(String message) {
        super(message);
    }

    public AlarmImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
