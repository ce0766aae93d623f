package sophon.bridge.streamconfig;

import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/** Placeholder: fills a task's parameters into a config set. */
public final class StandardFill {
    private StandardFill() {
    }

    public static void apply(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm, FillProfile profile) {
        throw new UnsupportedOperationException("not yet");
    }
}
