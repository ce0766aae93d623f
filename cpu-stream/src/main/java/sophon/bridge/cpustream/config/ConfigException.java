package sophon.bridge.cpustream.config;

/** A config the real sophon-stream main would refuse; the message names the file and the key. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
