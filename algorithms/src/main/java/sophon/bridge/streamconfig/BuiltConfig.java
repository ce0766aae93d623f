package sophon.bridge.streamconfig;

import java.nio.file.Path;

/**
 * A generated config set.
 *
 * @param algorithmDir       the stream process's working directory
 * @param demoConfigArgument the value for {@code --demo_config_path}, relative to algorithmDir
 *                           ({@code config/<algorithm>_demo.json})
 */
public record BuiltConfig(Path algorithmDir, String demoConfigArgument) {}
