package sophon.bridge.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.algorithm.AlgorithmType;
import sophon.bridge.streamconfig.ConfigException;
import sophon.bridge.streamconfig.ConfigSetBuilder;

/**
 * A sophon-stream install layout in a temp folder: {@code samples/build/main} is a script that
 * execs {@link TestStreamMain}, and every library and model the shipped templates reference
 * (as the config builder lists them) exists as an empty file, so config generation's file checks run for real.
 */
public final class FakeStreamRoot {
    private FakeStreamRoot() {}

    public static Path create(Path dir, Path appHome, String behaviour) throws IOException {
        Path root = Files.createDirectories(dir);
        AlgorithmRegistry registry = AlgorithmRegistry.load();
        ConfigSetBuilder builder = new ConfigSetBuilder(appHome.resolve("stream-graphs"), registry);
        Set<String> referenced = new TreeSet<>();
        for (AlgorithmType t : registry.types()) {
            try {
                referenced.addAll(builder.streamRootFiles(t.name()));
            } catch (ConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        for (String rel : referenced) {
            Path file = root.resolve(rel);
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path main = Files.createDirectories(root.resolve("samples/build")).resolve("main");
        Files.writeString(main, """
                #!/bin/sh
                # Fake sophon-stream main: LD_LIBRARY_PATH must point at our build/lib, as for the real one.
                case "$LD_LIBRARY_PATH" in *"%s/build/lib"*) ;; *) echo "LD_LIBRARY_PATH not set" ; exit 4 ;; esac
                exec '%s' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m -Djava.awt.headless=true -cp '%s' \\
                  sophon.bridge.server.e2e.TestStreamMain --root='%s' "$@"
                """.formatted(root, java, System.getProperty("java.class.path"), root));
        main.toFile().setExecutable(true);
        behave(root, behaviour);
        return root;
    }

    /**
     * The same layout, but {@code main} is a shell loop that idles until SIGTERM (exit 0): no JVM
     * per stream, so a benchmark measures the server and business logic, not the test program.
     */
    public static Path createIdle(Path dir, Path appHome) throws IOException {
        Path root = create(dir, appHome, "frames=0\n");
        Files.writeString(root.resolve("samples/build/main"), """
                #!/bin/sh
                trap 'exit 0' TERM INT
                while :; do sleep 1 & wait $!; done
                """);
        return root;
    }

    /** Changes what the next start of the test stream does. */
    public static void behave(Path root, String behaviour) throws IOException {
        Files.writeString(root.resolve("behaviour"), behaviour);
    }

    public static List<String> starts(Path root) throws IOException {
        Path log = root.resolve("starts.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }
}
