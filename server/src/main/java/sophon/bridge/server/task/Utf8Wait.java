package sophon.bridge.server.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.TaskLog;
import sophon.bridge.server.store.StoredEntry;
import sophon.bridge.server.store.StoredTask;
import sophon.bridge.server.supervise.RunState;
import sophon.bridge.task.TaskRequest;

/**
 * Stored tasks that a server without UTF-8 file names cannot run (a CJK TaskID's folder has no
 * name in ASCII). Such a task keeps its database row exactly as it is, so the next start under a
 * UTF-8 locale runs it again; meanwhile it is listed in {@code error} with a LastError naming
 * that fix, and its entries never start.
 */
final class Utf8Wait {
    private static final Logger log = LoggerFactory.getLogger(Utf8Wait.class);

    private Utf8Wait() {}

    static boolean canName(StoredTask task) {
        return FileNameCharset.canName(task.taskId())
                && task.entries().stream().allMatch(e -> FileNameCharset.canName(e.algorithmDir()));
    }

    static String reason(String taskId) {
        return "Task " + taskId
                + " is kept but not started: its folder has no name while the server runs with file names in "
                + FileNameCharset.name()
                + "; restart the server under a UTF-8 locale (LC_ALL=C.UTF-8, as start.sh does).";
    }

    /** The task as shown while it waits; empty if its stored request cannot even be read. */
    static Optional<TaskRuntime> runtime(StoredTask task, RunnerContext ctx, ObjectMapper json) {
        TaskRequest request;
        try {
            request = json.readValue(task.request().getBytes(StandardCharsets.UTF_8), TaskRequest.class);
        } catch (IOException e) {
            TaskLog.of(log, task.taskId()).error("stored request unreadable; left in the database", e);
            return Optional.empty();
        }
        String reason = reason(task.taskId());
        List<EntrySupervisor> runners = new ArrayList<>();
        for (StoredEntry e : task.entries()) {
            // No paths: this JVM cannot make them, and a runner that never starts needs none.
            EntryPlan plan = new EntryPlan(
                    task.taskId(),
                    e.index(),
                    e.type(),
                    e.algorithm(),
                    null,
                    null,
                    e.demoConfig(),
                    e.businessLogicPort(),
                    e.streamPort());
            runners.add(new EntrySupervisor(plan, ctx, false, null, false, null, RunState.ERROR, e.restarts(), reason));
        }
        TaskLog.of(log, task.taskId()).warn("{}", reason);
        return Optional.of(new TaskRuntime(request, Instant.ofEpochMilli(task.createdAt()), runners));
    }
}
