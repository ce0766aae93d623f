package sophon.bridge.streamconfig;

import java.nio.file.Path;
import sophon.bridge.algorithm.AlgorithmRegistry;

/**
 * Placeholder for the config generator: copies an algorithm's template set from
 * {@code stream-graphs/<name>/} into {@code <algorithmDir>/config/}, substitutes the stream root,
 * lets the plugin fill in the task, injects http_push and checks every referenced file.
 */
public final class ConfigSetBuilder {
    public ConfigSetBuilder(Path graphsDir, AlgorithmRegistry registry) {
    }

    public BuiltConfig build(ConfigRequest request) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }
}
