package sophon.bridge.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import sophon.bridge.server.task.EntrySupervisor;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.server.task.TaskRuntime;
import sophon.bridge.server.ui.OperatorAccess;

/**
 * The recent alarms business logic keeps per entry ({@code <entry>/recent-alarms}, the last 50):
 * {@code GET /task/alarms?TaskID=<id>[&limit=N]} lists them newest first (JSON, images by URL) and
 * {@code GET /task/alarms/<file>?TaskID=<id>} serves an image. Only a name business logic writes
 * (digits, '-', "scene"/"crop") that is in the task's listing right now is served: no path a
 * request makes up reaches the file system.
 */
public final class AlarmsApi {
    static final String FOLDER = "recent-alarms";
    static final int DEFAULT_LIMIT = 50;
    private static final Pattern IMAGE = Pattern.compile("[0-9]{13}-[0-9]{1,19}-(scene|crop[0-9]{1,4})\\.jpg");
    private static final Pattern ALARM = Pattern.compile("[0-9]{13}-[0-9]{1,19}\\.json");

    private final TaskManager manager;
    private final ObjectMapper json;

    public AlarmsApi(TaskManager manager, ObjectMapper json) {
        this.manager = manager;
        this.json = json;
    }

    public void register(Javalin app) {
        app.get("/task/alarms", this::list, OperatorAccess.Role.OPERATOR);
        app.get("/task/alarms/{file}", this::image, OperatorAccess.Role.OPERATOR);
    }

    private void list(Context ctx) throws IOException {
        int limit;
        try {
            String l = ctx.queryParam("limit");
            limit = l == null ? DEFAULT_LIMIT : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            SnapshotApi.fail(ctx, json, 400, Failure.BAD_REQUEST, "limit must be a whole number 1..1000");
            return;
        }
        Optional<TaskRuntime> found = SnapshotApi.task(manager, ctx, json);
        if (found.isEmpty()) {
            return;
        }
        TaskRuntime task = found.get();
        String query = "?TaskID=" + URLEncoder.encode(task.taskId(), StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        for (EntrySupervisor entry : task.entries()) {
            files.addAll(listed(entry, ALARM));
        }
        files.sort(
                Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()); // names start with the time
        List<JsonNode> alarms = new ArrayList<>();
        for (Path file : files) {
            if (alarms.size() == limit) {
                break;
            }
            JsonNode alarm;
            try {
                alarm = json.readTree(file.toFile());
            } catch (NoSuchFileException e) {
                continue; // removed as the 51st arrived
            }
            if (alarm instanceof ObjectNode o) {
                o.put("SceneImageUrl", "/task/alarms/" + o.path("SceneImage").asText() + query);
                o.withArray("Events")
                        .forEach(ev -> ((ObjectNode) ev)
                                .put(
                                        "ImageUrl",
                                        "/task/alarms/" + ev.path("Image").asText() + query));
                alarms.add(o);
            }
        }
        ctx.status(200)
                .contentType("application/json;charset=UTF-8")
                .result(json.writeValueAsBytes(ApiAnswer.success(Map.of("TaskID", task.taskId(), "Alarms", alarms))));
    }

    private void image(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        if (!IMAGE.matcher(name).matches()) {
            SnapshotApi.fail(ctx, json, 400, Failure.BAD_REQUEST, "not an alarm image name");
            return;
        }
        Optional<TaskRuntime> found = SnapshotApi.task(manager, ctx, json);
        if (found.isEmpty()) {
            return;
        }
        for (EntrySupervisor entry : found.get().entries()) {
            for (Path file : listed(entry, IMAGE)) {
                if (file.getFileName().toString().equals(name)) {
                    try {
                        ctx.status(200).contentType("image/jpeg").result(Files.readAllBytes(file));
                        return;
                    } catch (NoSuchFileException e) {
                        break; // removed meanwhile
                    }
                }
            }
        }
        SnapshotApi.fail(
                ctx, json, 404, Failure.NOT_FOUND, "no alarm image " + name + " (the last 50 per entry are kept)");
    }

    /** The entry's files in its recent-alarms folder whose names match, as listed now. */
    private static List<Path> listed(EntrySupervisor entry, Pattern names) throws IOException {
        Path dir = entry.plan().algorithmDir().resolve(FOLDER);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> names.matcher(p.getFileName().toString()).matches())
                    .toList();
        }
    }
}
