package sophon.bridge.server.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sophon.bridge.server.api.ApiAnswer;
import sophon.bridge.server.task.EntryPlan;
import sophon.bridge.server.task.EntrySupervisor;
import sophon.bridge.server.task.EntryView;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.task.TaskRuntime;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.HotAreaRule;

/**
 * The operator's status page: {@code GET /} and its three files from the jar
 * ({@code sophon-bridge/ui/}: plain HTML, CSS and JavaScript, nothing fetched from elsewhere, since
 * boxes are offline), {@code GET /ui/tasks[?TaskID=]} (the tiles' data) and
 * {@code GET /ui/log?TaskID=&entry=&child=} (the tail of a child's log, masked). Every route has
 * the {@link OperatorAccess.Role#OPERATOR} role.
 */
public final class StatusPage {
    static final int LOG_TAIL_BYTES = 16 * 1024;
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html;charset=UTF-8",
            "app.js", "text/javascript;charset=UTF-8",
            "style.css", "text/css;charset=UTF-8");

    private final TaskManager manager;
    private final ObjectMapper json;
    private final Map<String, byte[]> content;

    public StatusPage(TaskManager manager, ObjectMapper json) {
        this.manager = manager;
        this.json = json;
        this.content = Map.of(
                "index.html", resource("index.html"), "app.js", resource("app.js"), "style.css", resource("style.css"));
    }

    public void register(Javalin app) {
        app.get("/", ctx -> file(ctx, "index.html"), OperatorAccess.Role.OPERATOR);
        app.get("/ui/tasks", this::tasks, OperatorAccess.Role.OPERATOR);
        app.get("/ui/log", this::log, OperatorAccess.Role.OPERATOR);
        app.get("/ui/{file}", this::uiFile, OperatorAccess.Role.OPERATOR); // after: the first match wins
    }

    private void uiFile(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        if (!FILES.containsKey(name)) {
            fail(ctx, 404, Failure.NOT_FOUND, "no such page file");
            return;
        }
        file(ctx, name);
    }

    private void file(Context ctx, String name) {
        // no-cache, not no-store: the browser revalidates, so a new jar's page shows after a reload.
        ctx.status(200)
                .contentType(FILES.get(name))
                .header("Cache-Control", "no-cache")
                .result(content.get(name));
    }

    private void tasks(Context ctx) throws IOException {
        String only = ctx.queryParam("TaskID");
        List<UiTask> tasks = new ArrayList<>();
        for (TaskRuntime t : manager.runtimes()) {
            if (only == null || only.equals(t.taskId())) {
                tasks.add(view(t));
            }
        }
        if (only != null && tasks.isEmpty()) {
            fail(ctx, 404, Failure.NOT_FOUND, "Task " + only + " does not exist.");
            return;
        }
        tasks.sort((a, b) -> a.task().taskId().compareTo(b.task().taskId()));
        ctx.status(200)
                .contentType("application/json;charset=UTF-8")
                .header("Cache-Control", "no-store")
                .result(json.writeValueAsBytes(ApiAnswer.success(tasks)));
    }

    static UiTask view(TaskRuntime t) {
        var view = t.view();
        double fps = 0;
        long alarms = 0;
        for (EntrySupervisor e : t.entries()) {
            alarms += e.alarmsLastHour();
        }
        for (EntryView e : view.algorithms()) {
            if (e.counters() != null) {
                fps += e.counters().path("framesPerSecond").asDouble(0);
            }
        }
        List<UiTask.Shapes> shapes = new ArrayList<>();
        List<AlgorithmSpec> specs =
                t.request().algorithms() == null ? List.of() : t.request().algorithms();
        for (int i = 0; i < specs.size(); i++) {
            List<UiTask.Area> areas = new ArrayList<>();
            List<UiTask.Wire> wires = new ArrayList<>();
            for (DetectInfo d : specs.get(i).detectInfosOrEmpty()) {
                if (d == null) {
                    continue;
                }
                if (d.hotArea() != null
                        && !d.hotArea().isEmpty()
                        && !d.hotArea().contains(null)) {
                    areas.add(UiTask.Area.of(d.hotArea(), HotAreaRule.unrestricted(d.hotArea())));
                }
                if (d.tripWire() != null && d.tripWire().hasLine()) {
                    wires.add(UiTask.Wire.of(d.tripWire()));
                }
            }
            String algorithm =
                    i < view.algorithms().size() ? view.algorithms().get(i).algorithm() : "";
            shapes.add(new UiTask.Shapes(i, algorithm, areas, wires));
        }
        return new UiTask(view, Math.round(fps * 10) / 10.0, alarms, shapes);
    }

    private void log(Context ctx) throws IOException {
        String id = ctx.queryParam("TaskID");
        String child = ctx.queryParam("child");
        String name = "stream".equals(child)
                ? EntryPlan.STREAM_LOG
                : "business-logic".equals(child) ? EntryPlan.BUSINESS_LOGIC_LOG : null;
        int index;
        try {
            index = Integer.parseInt(
                    ctx.queryParamAsClass("entry", String.class).getOrDefault("0"));
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (id == null || name == null || index < 0) {
            fail(
                    ctx,
                    400,
                    Failure.BAD_REQUEST,
                    "TaskID, entry (a number) and child (stream or business-logic) are required");
            return;
        }
        for (TaskRuntime t : manager.runtimes()) {
            if (t.taskId().equals(id)) {
                if (index >= t.entries().size()) {
                    fail(ctx, 404, Failure.NOT_FOUND, "Task " + id + " has no entry " + index + ".");
                    return;
                }
                Path file = t.entries().get(index).plan().algorithmDir().resolve(name);
                ctx.status(200)
                        .contentType("text/plain;charset=UTF-8")
                        .header("Cache-Control", "no-store")
                        .result(Credentials.mask(tail(file, LOG_TAIL_BYTES)));
                return;
            }
        }
        fail(ctx, 404, Failure.NOT_FOUND, "Task " + id + " does not exist.");
    }

    /**
     * At most the last {@code max} bytes of a child's log in whole lines, reaching into the rotated
     * {@code <name>.1} when the current file is shorter. Lines were masked when written; the caller
     * masks again, so a log from before masking existed shows no password either.
     */
    static String tail(Path file, int max) throws IOException {
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        if (size >= max) {
            return lastLines(file, max);
        }
        Path rotated = file.resolveSibling(file.getFileName() + ".1");
        return lastLines(rotated, (int) (max - size)) + lastLines(file, max);
    }

    /** The whole lines within the last {@code max} bytes of a file ("" when there is none). */
    private static String lastLines(Path file, int max) throws IOException {
        if (!Files.isRegularFile(file) || max <= 0) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length <= max) {
                byte[] all = new byte[(int) length];
                raf.readFully(all);
                return new String(all, StandardCharsets.UTF_8);
            }
            // One byte more, the one before the window: a '\n' there means the window starts on a whole line.
            byte[] buf = new byte[max + 1];
            raf.seek(length - max - 1);
            raf.readFully(buf);
            int start = 0;
            while (start < buf.length && buf[start] != '\n') {
                start++;
            }
            return start >= buf.length
                    ? ""
                    : new String(buf, start + 1, buf.length - start - 1, StandardCharsets.UTF_8);
        }
    }

    private void fail(Context ctx, int status, Failure failure, String msg) throws IOException {
        ctx.status(status)
                .contentType("application/json;charset=UTF-8")
                .result(json.writeValueAsBytes(ApiAnswer.failure(failure.code, Credentials.mask(msg))));
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream("/sophon-bridge/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks sophon-bridge/ui/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
