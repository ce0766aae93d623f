package sophon.bridge.server.task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sophon.bridge.server.AppHome;
import sophon.bridge.streamconfig.StreamRoot;

/**
 * The program that runs a generated config set: a real sophon-stream {@code main}, or our
 * cpu-stream jar when no sophon-stream root was given.
 */
public record StreamEngine(
        String description, StreamRoot root, List<String> commandPrefix, Map<String, String> env, Path program) {

    public static StreamEngine sophonStream(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        Path main = abs.resolve("samples/build/main");
        return new StreamEngine(
                "sophon-stream at " + abs,
                new StreamRoot(abs, true),
                List.of(main.toString()),
                withLocale(Map.of("LD_LIBRARY_PATH", abs.resolve("build/lib").toString())),
                main);
    }

    public static StreamEngine cpuStream(Path appHome, Path java) {
        Path jar = AppHome.moduleJar(appHome, "cpu-stream");
        List<String> prefix = new ArrayList<>();
        prefix.add(java.toString());
        prefix.addAll(JvmOptions.forChild(appHome.resolve("cpu-stream/jvm.options"), JvmOptions.SMALL_CHILD));
        prefix.add("-jar");
        prefix.add(jar.toString());
        return new StreamEngine(
                "cpu-stream " + jar,
                new StreamRoot(appHome.resolve("cpu-stream/root"), false),
                prefix,
                withLocale(Map.of()),
                jar);
    }

    /** The stream sees its CJK working directory and config paths as UTF-8, like business logic. */
    private static Map<String, String> withLocale(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(FileNameCharset.childLocale(System.getenv()));
        return Map.copyOf(all);
    }

    /** Why this engine cannot run anything right now, or null when it can. */
    public String unavailableReason() {
        if (!Files.isRegularFile(program)) {
            return "The stream engine is not installed: " + program + " does not exist.";
        }
        if (root.nativeFilesRequired() && !Files.isExecutable(program)) {
            return "The stream engine " + program + " is not executable.";
        }
        return null;
    }
}
