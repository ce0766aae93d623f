package sophon.bridge.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.task.AlgorithmSpec;

/**
 * What every algorithm honours: the confidence threshold, TargetSize (the box's larger side
 * within MinDetect..MaxDetect; 0 or absent = no bound) and the classes: {@code Extend.Classes}
 * when the task names some (class ids, or names matched against the detection's label), else the
 * plugin's default ids; none at all = any class.
 */
public final class ObjectFilter {
    private final double threshold;
    private final int minSize;
    private final int maxSize;
    private final int[] classes;
    private final List<String> classNames;

    public ObjectFilter(AlgorithmSpec spec, List<Integer> defaultClasses) {
        this.threshold = spec.thresholdFraction();
        this.minSize = spec.targetSize() == null || spec.targetSize().minDetect() == null
                ? 0 : Math.max(0, spec.targetSize().minDetect());
        this.maxSize = spec.targetSize() == null || spec.targetSize().maxDetect() == null
                ? 0 : Math.max(0, spec.targetSize().maxDetect());
        List<Integer> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        JsonNode named = spec.extend() == null ? null : spec.extend().path("Classes");
        if (named != null && named.isArray()) {
            named.forEach(n -> {
                if (n.isIntegralNumber()) {
                    ids.add(n.asInt());
                } else if (n.isTextual() && !n.asText().isBlank()) {
                    names.add(n.asText().strip());
                }
            });
        }
        if (ids.isEmpty() && names.isEmpty() && defaultClasses != null) {
            ids.addAll(defaultClasses);
        }
        this.classes = ids.stream().mapToInt(Integer::intValue).toArray();
        this.classNames = List.copyOf(names);
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
        if (classes.length == 0 && classNames.isEmpty()) {
            return true;
        }
        for (int c : classes) {
            if (c == classId) {
                return true;
            }
        }
        for (String name : classNames) {
            if (name.equalsIgnoreCase(label)) {
                return true;
            }
        }
        return false;
    }

    public double threshold() {
        return threshold;
    }
}
