package sophon.bridge.logic;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/**
 * Entry point, started by the server once per algorithm entry of a task:
 * {@code java -jar business-logic.jar --port=N --task=<task.json> --algorithm-index=n --work-dir=<dir>}.
 * Exits 2 on bad arguments or an unusable task file, 1 when it cannot start; with --training=true it
 * exits by itself once the training run is done (0) or failed (1).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Options options;
        TaskRequest task;
        AlgorithmPlugin plugin;
        try {
            options = Options.parse(args);
            task = readTask(options);
            AlgorithmSpec spec = task.algorithms().get(options.algorithmIndex());
            plugin = AlgorithmRegistry.load()
                    .plugin(spec.type())
                    .orElseThrow(() ->
                            new IllegalArgumentException("algorithm type " + spec.type() + " is not in the type map"));
        } catch (IllegalArgumentException e) {
            System.err.println("business-logic: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        // Read by LogSetup, so that every log line carries the task (set before the first logger).
        System.setProperty("sophon.task", task.taskId());
        LogicProcess process;
        try {
            process = LogicProcess.start(options, task, plugin);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).error("cannot start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "shutdown"));
        if (options.training()) {
            System.exit(Training.run(process) ? 0 : 1); // the archive is written as the JVM exits
        }
    }

    static TaskRequest readTask(Options options) {
        TaskRequest task;
        try {
            task = JsonMapper.builder().build().readValue(Files.readAllBytes(options.task()), TaskRequest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read task file " + options.task() + ": "
                    + sophon.bridge.task.Credentials.mask(e.getMessage()));
        }
        if (task == null || task.taskId() == null || task.taskId().isBlank()) {
            throw new IllegalArgumentException("task file " + options.task() + " has no TaskID");
        }
        if (task.algorithms() == null
                || options.algorithmIndex() >= task.algorithms().size()) {
            throw new IllegalArgumentException(
                    "task " + task.taskId() + " has no algorithm entry " + options.algorithmIndex());
        }
        AlgorithmSpec spec = task.algorithms().get(options.algorithmIndex());
        if (spec == null || spec.type() == null) {
            throw new IllegalArgumentException("algorithm entry " + options.algorithmIndex() + " has no Type");
        }
        return task;
    }
}
