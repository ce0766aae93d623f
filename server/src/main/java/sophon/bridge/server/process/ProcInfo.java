package sophon.bridge.server.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A process as Linux {@code /proc} shows it: its argument list and working directory. */
public record ProcInfo(long pid, List<String> args, Path cwd) {
    private static final Path PROC = Path.of("/proc");

    /** The process, if it exists and we may read its command line and working directory. */
    public static Optional<ProcInfo> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            if (raw.length == 0) {
                return Optional.empty(); // a zombie or a kernel thread
            }
            String text = new String(raw, StandardCharsets.UTF_8);
            List<String> args = Arrays.asList(text.split("\0"));
            Path cwd = Files.readSymbolicLink(dir.resolve("cwd"));
            return Optional.of(new ProcInfo(pid, List.copyOf(args), cwd));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Every process we can inspect. */
    public static List<ProcInfo> all() {
        List<ProcInfo> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    of(Long.parseLong(name)).ifPresent(result::add);
                }
            }
        } catch (IOException ignored) {
            // Without /proc there is nothing to sweep.
        }
        return result;
    }

    public boolean hasArg(String arg) {
        return args.contains(arg);
    }

    public boolean hasArgStartingWith(String prefix) {
        return args.stream().anyMatch(a -> a.startsWith(prefix));
    }
}
