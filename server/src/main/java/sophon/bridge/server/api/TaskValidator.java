package sophon.bridge.server.api;

import java.net.URI;
import java.net.URISyntaxException;
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
import sophon.bridge.task.TaskRequest;

/** Checks a create request before anything is written; the first problem becomes the {@code Msg}. */
public final class TaskValidator {
    /** Letters of any script (CJK included), decimal digits, '-' and '_': also safe as a folder name. */
    private static final Pattern TASK_ID = Pattern.compile("[\\p{L}\\p{Nd}_-]+");
    public static final int TASK_ID_MAX = 64;

    private final AlgorithmRegistry registry;

    public TaskValidator(AlgorithmRegistry registry) {
        this.registry = registry;
    }

    public static void checkTaskId(String id) throws TaskException {
        if (id == null || id.isEmpty()) {
            throw new TaskException(Failure.BAD_REQUEST, "TaskID is missing.");
        }
        if (id.codePointCount(0, id.length()) > TASK_ID_MAX || !TASK_ID.matcher(id).matches()) {
            throw new TaskException(Failure.BAD_REQUEST,
                    "TaskID must be 1 to " + TASK_ID_MAX + " letters, digits, '-' or '_'.");
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
        List<AlgorithmSpec> algorithms = task.algorithms();
        if (algorithms == null || algorithms.isEmpty()) {
            throw new TaskException(Failure.BAD_REQUEST, "Algorithm must list at least one algorithm.");
        }
        for (int i = 0; i < algorithms.size(); i++) {
            AlgorithmSpec a = algorithms.get(i);
            if (a == null) {
                throw new TaskException(Failure.BAD_REQUEST, "Algorithm[" + i + "] is empty.");
            }
            if (a.type() == null) {
                throw new TaskException(Failure.BAD_REQUEST, "Algorithm[" + i + "].Type is missing.");
            }
            if (registry.type(a.type()).isEmpty()) {
                String known = registry.types().stream().map(AlgorithmType::type).sorted().map(String::valueOf)
                        .collect(Collectors.joining(", "));
                throw new TaskException(Failure.BAD_REQUEST, "Algorithm[" + i + "].Type " + a.type()
                        + " is not a known algorithm type (known: " + known + ").");
            }
        }
        List<String> urls = task.reporting() == null ? null : task.reporting().reportUrlList();
        if (urls == null || urls.isEmpty()) {
            throw new TaskException(Failure.BAD_REQUEST, "Reporting.ReportUrlList must hold at least one URL.");
        }
        for (int i = 0; i < urls.size(); i++) {
            checkReportUrl(i, urls.get(i));
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
