package sophon.bridge.server.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one child: program and arguments as a list (never a shell string), extra
 * environment, working directory, and the log file its stdout and stderr go to.
 */
public record ChildSpec(
        String name,
        List<String> command,
        Map<String, String> extraEnv,
        Path workDir,
        Path logFile,
        ChildSignature signature) {
    public ChildSpec {
        command = List.copyOf(command);
        extraEnv = Map.copyOf(extraEnv);
    }
}
