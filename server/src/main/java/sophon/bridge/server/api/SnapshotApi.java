package sophon.bridge.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import sophon.bridge.server.snapshot.FrameGrabber;
import sophon.bridge.server.task.ChildProbe;
import sophon.bridge.server.task.EntrySupervisor;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.task.TaskRuntime;
import sophon.bridge.server.ui.OperatorAccess;
import sophon.bridge.task.Credentials;

/**
 * {@code GET /task/snapshot?TaskID=<id>}: the task's current frame as {@code image/jpeg}. First
 * the newest frame http_push posted to one of its business-logic processes (kept there only while
 * someone looks), else one frame grabbed from the source ({@link FrameGrabber}). Header
 * {@code X-Snapshot-Source} says which ({@code stream} or {@code grab}). Failures are JSON
 * {@code {"Code":..,"Msg":..}} with the address masked: 404 for an unknown task, 503 otherwise.
 */
public final class SnapshotApi {
    // Business logic waits up to 1 s for a frame when nobody looked before; this covers that and the loopback.
    private static final int MAX_JPEG_BYTES = 32 * 1024 * 1024;

    private final TaskManager manager;
    private final ChildProbe probe;
    private final FrameGrabber grabber;
    private final ObjectMapper json;

    public SnapshotApi(TaskManager manager, ChildProbe probe, FrameGrabber grabber, ObjectMapper json) {
        this.manager = manager;
        this.probe = probe;
        this.grabber = grabber;
        this.json = json;
    }

    public void register(Javalin app) {
        app.get("/task/snapshot", this::snapshot, OperatorAccess.Role.OPERATOR);
    }

    /** The running task of {@code TaskID}, or empty (after answering 404 or 400). */
    static Optional<TaskRuntime> task(TaskManager manager, Context ctx, ObjectMapper json) throws IOException {
        String id = ctx.queryParam("TaskID");
        if (id == null || id.isBlank()) {
            fail(ctx, json, 400, Failure.BAD_REQUEST, "TaskID is required");
            return Optional.empty();
        }
        for (TaskRuntime t : manager.runtimes()) {
            if (t.taskId().equals(id)) {
                return Optional.of(t);
            }
        }
        fail(ctx, json, 404, Failure.NOT_FOUND, "Task " + id + " does not exist.");
        return Optional.empty();
    }

    static void fail(Context ctx, ObjectMapper json, int status, Failure failure, String msg) throws IOException {
        ctx.status(status)
                .contentType("application/json;charset=UTF-8")
                .result(json.writeValueAsBytes(ApiAnswer.failure(failure.code, Credentials.mask(msg))));
    }

    private void snapshot(Context ctx) throws IOException, InterruptedException {
        Optional<TaskRuntime> found = task(manager, ctx, json);
        if (found.isEmpty()) {
            return;
        }
        TaskRuntime task = found.get();
        String streamProblem = "no business-logic process of the task is up";
        for (EntrySupervisor entry : task.entries()) {
            if (!entry.businessLogicUp()) {
                continue;
            }
            try {
                byte[] jpeg = probe.snapshot(entry.plan().businessLogicPort(), MAX_JPEG_BYTES);
                if (jpeg != null) {
                    answer(ctx, jpeg, "stream");
                    return;
                }
                streamProblem = "the stream posted no frame in the last few seconds";
            } catch (IOException e) {
                streamProblem = "business logic did not answer: " + e.getMessage();
            }
        }
        String address = task.request().address();
        if (address == null || address.isBlank() || task.entries().isEmpty()) {
            fail(
                    ctx,
                    json,
                    503,
                    Failure.UNAVAILABLE,
                    streamProblem + ", and the task has no source address to grab from");
            return;
        }
        FrameGrabber.Result grabbed =
                grabber.grab(address, task.entries().get(0).plan().algorithmDir());
        if (grabbed.jpeg() == null) {
            fail(ctx, json, 503, Failure.UNAVAILABLE, streamProblem + "; " + grabbed.failure());
            return;
        }
        answer(ctx, grabbed.jpeg(), "grab");
    }

    private static void answer(Context ctx, byte[] jpeg, String source) {
        ctx.status(200)
                .contentType("image/jpeg")
                .header("Cache-Control", "no-store")
                .header("X-Snapshot-Source", source)
                .result(jpeg);
    }
}
