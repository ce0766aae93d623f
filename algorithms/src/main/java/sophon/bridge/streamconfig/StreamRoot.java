package sophon.bridge.streamconfig;

import java.nio.file.Path;

/**
 * The stream engine's install root, substituted for {@code {Stream_path}}.
 *
 * @param nativeFilesRequired true for a real sophon-stream root, whose {@code shared_object}
 *                            libraries and {@code .bmodel} models must exist; false for cpu-stream,
 *                            which runs elements by name on the CPU and needs neither
 */
public record StreamRoot(Path root, boolean nativeFilesRequired) {}
