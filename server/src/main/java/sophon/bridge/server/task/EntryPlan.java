package sophon.bridge.server.task;

import java.nio.file.Path;

/** Everything fixed about one algorithm entry of a task once its config set exists. */
public record EntryPlan(
        String taskId,
        int index,
        int type,
        String algorithm,
        Path algorithmDir,
        Path taskJson,
        String demoConfig,
        int businessLogicPort,
        int streamPort) {
    public static final String STREAM_LOG = "stream.log";
    public static final String BUSINESS_LOGIC_LOG = "business-logic.log";
}
