package sophon.bridge.server.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskException;

/** Each size limit of a create: at the limit accepted, one over refused with Code 1001 and a Msg naming both numbers. */
class TaskValidatorTest {
    private static final TaskValidator VALIDATOR = new TaskValidator(AlgorithmRegistry.load());
    private static final RequestParser PARSER = new RequestParser();
    /** A letter outside the Basic Multilingual Plane (CJK extension B): 4 bytes in UTF-8. */
    private static final String WIDE_LETTER = new String(Character.toChars(0x20000));

    static String task(Consumer<ObjectNode> change) throws Exception {
        ObjectNode t = (ObjectNode) ApiClient.JSON.readTree(
                ApiClient.task("1001", "rtsp://10.0.0.5/s1", 1, "http://127.0.0.1:8089/api/upload"));
        change.accept(t);
        return t.toString();
    }

    static void check(String body) throws TaskException {
        VALIDATOR.check(PARSER.parse(body.getBytes(StandardCharsets.UTF_8), sophon.bridge.task.TaskRequest.class));
    }

    static void accepted(String body) {
        assertDoesNotThrow(() -> check(body));
    }

    static void refused(String body, String msg) {
        TaskException e = assertThrows(TaskException.class, () -> check(body));
        assertEquals(Failure.BAD_REQUEST, e.failure());
        assertEquals(msg, e.getMessage());
    }

    static Consumer<ObjectNode> algorithms(int n) {
        return t -> {
            ArrayNode list = (ArrayNode) t.get("Algorithm");
            while (list.size() < n) {
                list.add(list.get(0).deepCopy());
            }
        };
    }

    static Consumer<ObjectNode> reportUrls(int n) {
        return t -> {
            ArrayNode urls = ((ObjectNode) t.get("Reporting")).putArray("ReportUrlList");
            for (int i = 0; i < n; i++) {
                urls.add("http://10.0.0." + (i + 1) + ":8089/api/upload");
            }
        };
    }

    static Consumer<ObjectNode> detectInfos(int n) {
        return t -> {
            ArrayNode infos = (ArrayNode) t.get("Algorithm").get(0).get("DetectInfos");
            while (infos.size() < n) {
                infos.add(infos.get(0).deepCopy());
            }
        };
    }

    static Consumer<ObjectNode> hotAreaPoints(int n) {
        return t -> {
            ArrayNode infos = (ArrayNode) t.get("Algorithm").get(0).get("DetectInfos");
            infos.add(infos.get(0).deepCopy());
            ArrayNode area = ((ObjectNode) infos.get(1)).putArray("HotArea");
            for (int i = 0; i < n; i++) {
                area.addObject().put("X", i).put("Y", i % 2 == 0 ? 0 : 1080);
            }
        };
    }

    static Consumer<ObjectNode> srcId(String id) {
        return t -> ((ObjectNode) t.get("InputSrc")).put("SrcID", id);
    }

    static Consumer<ObjectNode> taskId(String id) {
        return t -> t.put("TaskID", id);
    }

    @Test
    void algorithmEntries() throws Exception {
        accepted(task(algorithms(TaskValidator.ALGORITHMS_MAX)));
        refused(task(algorithms(9)), "Algorithm lists 9 entries; at most 8 per task.");
        refused(task(algorithms(900)), "Algorithm lists 900 entries; at most 8 per task.");
    }

    @Test
    void reportUrls() throws Exception {
        accepted(task(reportUrls(TaskValidator.REPORT_URLS_MAX)));
        refused(task(reportUrls(17)), "Reporting.ReportUrlList lists 17 URLs; at most 16 per task.");
    }

    @Test
    void detectInfosPerAlgorithm() throws Exception {
        accepted(task(detectInfos(TaskValidator.DETECT_INFOS_MAX)));
        refused(
                task(algorithms(2).andThen(t -> {
                    ArrayNode infos = (ArrayNode) t.get("Algorithm").get(1).get("DetectInfos");
                    while (infos.size() < 17) {
                        infos.add(infos.get(0).deepCopy());
                    }
                })),
                "Algorithm[1].DetectInfos lists 17 entries; at most 16 per algorithm.");
    }

    @Test
    void hotAreaPoints() throws Exception {
        accepted(task(hotAreaPoints(TaskValidator.HOT_AREA_POINTS_MAX)));
        refused(task(hotAreaPoints(65)), "Algorithm[0].DetectInfos[1].HotArea lists 65 points; at most 64.");
    }

    @Test
    void srcIdCountsCharactersNotBytes() throws Exception {
        accepted(task(srcId("门".repeat(TaskValidator.SRC_ID_MAX))));
        refused(task(srcId("x".repeat(257))), "InputSrc.SrcID is 257 characters long; at most 256.");
        accepted(task(t -> ((ObjectNode) t.get("InputSrc")).remove("SrcID")));
    }

    @Test
    void taskIdKeepsItsCharacterRuleAndFitsAFolderName() throws Exception {
        accepted(task(taskId("任务".repeat(32)))); // 64 CJK letters, 192 bytes
        accepted(task(taskId(WIDE_LETTER.repeat(63)))); // 252 bytes
        refused(
                task(taskId(WIDE_LETTER.repeat(64))),
                "TaskID is 256 bytes in UTF-8; at most 255 (the longest folder name).");
        refused(task(taskId("x".repeat(65))), "TaskID must be 1 to 64 letters, digits, '-' or '_'.");
        // The same rule guards query and delete.
        TaskException e = assertThrows(TaskException.class, () -> TaskValidator.checkTaskId(WIDE_LETTER.repeat(64)));
        assertEquals(Failure.BAD_REQUEST, e.failure());
    }
}
