package sophon.bridge.server.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.algorithm.AlgorithmType;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.FileNameCharset;
import sophon.bridge.server.task.TaskException;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.TaskRequest;

/**
 * Checks a create request before anything is written; the first problem becomes the {@code Msg}.
 * The size limits keep one request from asking for more than a box can run: every algorithm
 * entry starts two processes, and a 1 MB body could otherwise list thousands of them.
 */
public final class TaskValidator {
    /** Letters of any script (CJK included), decimal digits, '-' and '_': also safe as a folder name. */
    private static final Pattern TASK_ID = Pattern.compile("[\\p{L}\\p{Nd}_-]+");

    public static final int TASK_ID_MAX = 64;
    /**
     * The TaskID is a folder name, and Linux file systems allow 255 bytes: 64 letters outside the
     * Basic Multilingual Plane (4 bytes each in UTF-8, e.g. CJK extension B) would be 256.
     */
    public static final int TASK_ID_MAX_BYTES = 255;

    public static final int ALGORITHMS_MAX = 8;
    public static final int REPORT_URLS_MAX = 16;
    public static final int DETECT_INFOS_MAX = 16;
    public static final int HOT_AREA_POINTS_MAX = 64;
    public static final int SRC_ID_MAX = 256;

    private final AlgorithmRegistry registry;

    public TaskValidator(AlgorithmRegistry registry) {
        this.registry = registry;
    }

    public static void checkTaskId(String id) throws TaskException {
        if (id == null || id.isEmpty()) {
            throw new TaskException(Failure.BAD_REQUEST, "TaskID is missing.");
        }
        if (id.codePointCount(0, id.length()) > TASK_ID_MAX
                || !TASK_ID.matcher(id).matches()) {
            throw new TaskException(
                    Failure.BAD_REQUEST, "TaskID must be 1 to " + TASK_ID_MAX + " letters, digits, '-' or '_'.");
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > TASK_ID_MAX_BYTES) {
            throw new TaskException(
                    Failure.BAD_REQUEST,
                    "TaskID is " + bytes + " bytes in UTF-8; at most " + TASK_ID_MAX_BYTES
                            + " (the longest folder name).");
        }
    }

    public void check(TaskRequest task) throws TaskException {
        checkTaskId(task.taskId());
        if (!FileNameCharset.canName(task.taskId())) {
            throw new TaskException(Failure.BAD_REQUEST, FileNameCharset.refusal(task.taskId()));
        }
        String address = task.address();
        if (address == null || address.isBlank()) {
            throw new TaskException(Failure.BAD_REQUEST, "InputSrc.StreamSrc.Address is missing.");
        }
        String srcId = task.srcId();
        int srcIdLength = srcId.codePointCount(0, srcId.length());
        if (srcIdLength > SRC_ID_MAX) {
            throw new TaskException(
                    Failure.BAD_REQUEST,
                    "InputSrc.SrcID is " + srcIdLength + " characters long; at most " + SRC_ID_MAX + ".");
        }
        List<AlgorithmSpec> algorithms = task.algorithms();
        if (algorithms == null || algorithms.isEmpty()) {
            throw new TaskException(Failure.BAD_REQUEST, "Algorithm must list at least one algorithm.");
        }
        atMost(algorithms.size(), ALGORITHMS_MAX, "Algorithm", "entries", " per task");
        for (int i = 0; i < algorithms.size(); i++) {
            AlgorithmSpec a = algorithms.get(i);
            if (a == null) {
                throw new TaskException(Failure.BAD_REQUEST, "Algorithm[" + i + "] is empty.");
            }
            if (a.type() == null) {
                throw new TaskException(Failure.BAD_REQUEST, "Algorithm[" + i + "].Type is missing.");
            }
            if (registry.type(a.type()).isEmpty()) {
                String known = registry.types().stream()
                        .map(AlgorithmType::type)
                        .sorted()
                        .map(String::valueOf)
                        .collect(Collectors.joining(", "));
                throw new TaskException(
                        Failure.BAD_REQUEST,
                        "Algorithm[" + i + "].Type " + a.type() + " is not a known algorithm type (known: " + known
                                + ").");
            }
            checkDetectInfos("Algorithm[" + i + "].DetectInfos", a.detectInfos());
        }
        List<String> urls = task.reporting() == null ? null : task.reporting().reportUrlList();
        if (urls == null || urls.isEmpty()) {
            throw new TaskException(Failure.BAD_REQUEST, "Reporting.ReportUrlList must hold at least one URL.");
        }
        atMost(urls.size(), REPORT_URLS_MAX, "Reporting.ReportUrlList", "URLs", " per task");
        for (int i = 0; i < urls.size(); i++) {
            checkReportUrl(i, urls.get(i));
        }
    }

    private static void checkDetectInfos(String where, List<DetectInfo> infos) throws TaskException {
        if (infos == null) {
            return;
        }
        atMost(infos.size(), DETECT_INFOS_MAX, where, "entries", " per algorithm");
        for (int j = 0; j < infos.size(); j++) {
            DetectInfo info = infos.get(j);
            if (info != null && info.hotArea() != null) {
                atMost(info.hotArea().size(), HOT_AREA_POINTS_MAX, where + "[" + j + "].HotArea", "points", "");
            }
        }
    }

    /** "Algorithm lists 900 entries; at most 8 per task." */
    private static void atMost(int count, int max, String field, String things, String per) throws TaskException {
        if (count > max) {
            throw new TaskException(
                    Failure.BAD_REQUEST, field + " lists " + count + " " + things + "; at most " + max + per + ".");
        }
    }

    private static void checkReportUrl(int i, String url) throws TaskException {
        String where = "Reporting.ReportUrlList[" + i + "]";
        if (url == null || url.isBlank()) {
            throw new TaskException(Failure.BAD_REQUEST, where + " is empty.");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new TaskException(Failure.BAD_REQUEST, where + " is not an http or https URL.");
            }
        } catch (URISyntaxException e) {
            throw new TaskException(Failure.BAD_REQUEST, where + " is not a valid URL.");
        }
    }
}
