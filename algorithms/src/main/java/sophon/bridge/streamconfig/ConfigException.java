package sophon.bridge.streamconfig;

/** A config set could not be made; the message is one plain sentence fit for an API {@code Msg}. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
