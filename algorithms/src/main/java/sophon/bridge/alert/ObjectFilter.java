package sophon.bridge.alert;

import java.util.List;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskClasses;

/**
 * What every algorithm honours: the confidence threshold, TargetSize (the box's larger side
 * within MinDetect..MaxDetect; 0 or absent = no bound) and the classes: {@code Extend.Classes}
 * when the task names some (read by {@link TaskClasses}, as the config builder reads it: ids, or
 * names matched against the detection's label), else the plugin's default ids; none at all = any
 * class. A malformed {@code Extend.Classes} throws here, but the config builder refuses such a
 * task before its business logic starts.
 */
public final class ObjectFilter {
    private final double threshold;
    private final int minSize;
    private final int maxSize;
    private final TaskClasses classes;

    public ObjectFilter(AlgorithmSpec spec, List<Integer> defaultClasses) {
        this.threshold = spec.thresholdFraction();
        this.minSize = spec.targetSize() == null || spec.targetSize().minDetect() == null
                ? 0
                : Math.max(0, spec.targetSize().minDetect());
        this.maxSize = spec.targetSize() == null || spec.targetSize().maxDetect() == null
                ? 0
                : Math.max(0, spec.targetSize().maxDetect());
        this.classes = TaskClasses.of(spec).orElseGet(() -> defaults(defaultClasses));
    }

    private static TaskClasses defaults(List<Integer> ids) {
        return new TaskClasses(
                ids == null
                        ? List.of()
                        : ids.stream()
                                .map(id -> new TaskClasses.Entry(id, null))
                                .toList());
    }

    public boolean accepts(DetectedObject o) {
        return o.score() >= threshold && sizeOk(o.box()) && classOk(o.classId(), o.label());
    }

    public boolean sizeOk(Box box) {
        int size = box.size();
        return size >= minSize && (maxSize == 0 || size <= maxSize);
    }

    public boolean scoreOk(double score) {
        return score >= threshold;
    }

    private boolean classOk(int classId, String label) {
        return classes.entries().isEmpty() || classes.matches(classId, label);
    }

    public double threshold() {
        return threshold;
    }
}
