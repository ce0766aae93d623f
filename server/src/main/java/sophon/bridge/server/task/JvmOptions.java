package sophon.bridge.server.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JVM flags for a Java child: one per line in a {@code jvm.options} file, {@code #} comments. */
public final class JvmOptions {
    /**
     * Used when a module ships no jvm.options: a box runs one business-logic JVM per algorithm
     * entry, so each must stay small (serial GC, capped heap/metaspace/code cache, C1 only).
     */
    public static final List<String> SMALL_CHILD = List.of(
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-Xms16m",
            "-Xmx128m",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1",
            "-XX:MaxDirectMemorySize=32m");

    /**
     * Added to every Java child: its files, logs and stdout are UTF-8 even where the box's
     * locale says otherwise (CJK TaskIDs appear in all of them).
     */
    public static final String UTF8_FILES = "-Dfile.encoding=UTF-8";

    private JvmOptions() {}

    /** {@link #read} plus {@link #UTF8_FILES}. */
    public static List<String> forChild(Path file, List<String> defaults) {
        List<String> flags = new ArrayList<>(read(file, defaults));
        flags.add(UTF8_FILES);
        return List.copyOf(flags);
    }

    public static List<String> read(Path file, List<String> defaults) {
        if (!Files.isRegularFile(file)) {
            return defaults;
        }
        try {
            List<String> flags = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String flag = line.strip();
                if (!flag.isEmpty() && !flag.startsWith("#")) {
                    flags.add(flag);
                }
            }
            return List.copyOf(flags);
        } catch (IOException e) {
            return defaults;
        }
    }
}
