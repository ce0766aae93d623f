package sophon.bridge.streamconfig;

import java.nio.file.Path;
import sophon.bridge.task.TaskRequest;

/**
 * One algorithm entry of a task to turn into a config set.
 *
 * @param algorithmIndex index into {@code task.algorithms()}
 * @param algorithmDir   {@code <data-dir>/tasks/<TaskID>/<n>-<algorithm>}; the set goes to its {@code config/}
 * @param streamRoot     what replaces {@code {Stream_path}}, and which referenced files must exist
 * @param businessLogic  where http_push and http_report post (this entry's business-logic process)
 * @param streamListen   the stream process's own {@code http_listen} endpoint, or null to drop it
 */
public record ConfigRequest(
        TaskRequest task,
        int algorithmIndex,
        Path algorithmDir,
        StreamRoot streamRoot,
        Endpoint businessLogic,
        Endpoint streamListen) {}
