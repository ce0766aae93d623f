package sophon.bridge.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskException;
import sophon.bridge.server.task.TaskManager;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.TaskRequest;

/**
 * The application-web task API. Every {@code /task/*} answer is HTTP 200 with {@code Code}/{@code Msg}
 * (application-web drops the body of any other status, so the user would never see why).
 * {@code GET /health} is for monitors, not application-web: the same shape, but HTTP 503 when
 * the server could not store a task ({@link ServerHealth}).
 */
public final class TaskApi {
    private static final Logger log = LoggerFactory.getLogger(TaskApi.class);
    public static final int MAX_BODY = 1024 * 1024;
    private static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private final TaskManager manager;
    private final TaskValidator validator;
    private final RequestParser parser;
    private final ObjectMapper json;
    private final BodyReader bodies = new BodyReader(MAX_BODY);
    private final ServerHealth health;

    public TaskApi(
            TaskManager manager,
            TaskValidator validator,
            RequestParser parser,
            ObjectMapper json,
            ServerHealth health) {
        this.manager = manager;
        this.validator = validator;
        this.parser = parser;
        this.json = json;
        this.health = health;
    }

    public void register(Javalin app) {
        app.post("/task/create", ctx -> answer(ctx, "create", this::create));
        app.post("/task/list", ctx -> answer(ctx, "list", this::list));
        app.post("/task/query", ctx -> answer(ctx, "query", this::query));
        app.post("/task/delete", ctx -> answer(ctx, "delete", this::delete));
        app.get("/health", this::health);
    }

    private void health(Context ctx) {
        ApiAnswer answer;
        int status;
        try {
            ServerHealth.Report report = health.check();
            status = report.healthy() ? 200 : 503;
            answer = report.healthy()
                    ? ApiAnswer.success(report.result())
                    : new ApiAnswer(Failure.UNAVAILABLE.code, report.problem(), report.result());
            if (!report.healthy()) {
                log.warn("health: {}", report.problem());
            }
        } catch (RuntimeException e) {
            log.error("health check failed", e);
            status = 503;
            answer = ApiAnswer.failure(
                    Failure.INTERNAL.code,
                    "Health check failed: " + Credentials.mask(String.valueOf(e.getMessage())) + ".");
        }
        write(ctx, status, answer, "health");
    }

    private ApiAnswer create(Context ctx) throws Exception {
        byte[] body = bodies.read(ctx.req().getInputStream());
        TaskRequest request = parser.parse(body, TaskRequest.class);
        validator.check(request);
        manager.create(request, body);
        return ApiAnswer.success();
    }

    private ApiAnswer list(Context ctx) throws Exception {
        bodies.read(ctx.req().getInputStream()); // application-web sends {}; any content is ignored
        return ApiAnswer.success(manager.list());
    }

    private ApiAnswer query(Context ctx) throws Exception {
        return ApiAnswer.success(manager.query(taskId(ctx)));
    }

    private ApiAnswer delete(Context ctx) throws Exception {
        manager.delete(taskId(ctx));
        return ApiAnswer.success();
    }

    private String taskId(Context ctx) throws Exception {
        TaskIdRequest request = parser.parse(bodies.read(ctx.req().getInputStream()), TaskIdRequest.class);
        TaskValidator.checkTaskId(request.taskId());
        return request.taskId();
    }

    private void answer(Context ctx, String operation, Operation op) {
        ApiAnswer answer;
        try {
            answer = op.run(ctx);
        } catch (TaskException e) {
            log.info("{} refused ({}): {}", operation, e.failure().code, e.getMessage());
            answer = ApiAnswer.failure(e.failure().code, e.getMessage());
        } catch (Exception e) {
            log.error("{} failed", operation, e);
            answer = ApiAnswer.failure(
                    Failure.INTERNAL.code, "Internal error: " + Credentials.mask(String.valueOf(e.getMessage())) + ".");
        }
        write(ctx, 200, answer, operation);
    }

    private void write(Context ctx, int status, ApiAnswer answer, String operation) {
        try {
            ctx.status(status).contentType(JSON_UTF8).result(masked(json.writeValueAsBytes(answer)));
        } catch (Exception e) {
            log.error("{} answer could not be written", operation, e);
            ctx.status(status).contentType(JSON_UTF8).result("{\"Code\":1500,\"Msg\":\"Internal error.\"}");
        }
    }

    /**
     * The answer with every credential masked: Address, Msg and LastError are masked where they are
     * made, but a child's Counters or an exception's text can quote a URL too.
     */
    private static byte[] masked(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8);
        String masked = Credentials.mask(text);
        return masked.equals(text) ? answer : masked.getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Operation {
        ApiAnswer run(Context ctx) throws Exception;
    }
}
