package sophon.bridge.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.task.AlgorithmSpec;

/**
 * What every algorithm honours: the confidence threshold, TargetSize (the box's larger side
 * within MinDetect..MaxDetect; 0 or absent = no bound) and the class ids (from
 * {@code Extend.Classes} when the task names them, else the plugin's defaults; empty = any).
 */
public final class ObjectFilter {
    private final double threshold;
    private final int minSize;
    private final int maxSize;
    private final int[] classes;

    public ObjectFilter(AlgorithmSpec spec, List<Integer> defaultClasses) {
        this.threshold = spec.thresholdFraction();
        this.minSize = spec.targetSize() == null || spec.targetSize().minDetect() == null
                ? 0 : Math.max(0, spec.targetSize().minDetect());
        this.maxSize = spec.targetSize() == null || spec.targetSize().maxDetect() == null
                ? 0 : Math.max(0, spec.targetSize().maxDetect());
        this.classes = classes(spec.extend(), defaultClasses).stream().mapToInt(Integer::intValue).toArray();
    }

    static List<Integer> classes(JsonNode extend, List<Integer> defaults) {
        if (extend != null && extend.path("Classes").isArray()) {
            List<Integer> named = new ArrayList<>();
            extend.path("Classes").forEach(n -> {
                if (n.canConvertToInt()) {
                    named.add(n.asInt());
                }
            });
            return named;
        }
        return defaults == null ? List.of() : defaults;
    }

    public boolean accepts(DetectedObject o) {
        return o.score() >= threshold && sizeOk(o.box()) && classOk(o.classId());
    }

    public boolean sizeOk(Box box) {
        int size = box.size();
        return size >= minSize && (maxSize == 0 || size <= maxSize);
    }

    public boolean scoreOk(double score) {
        return score >= threshold;
    }

    private boolean classOk(int classId) {
        if (classes.length == 0) {
            return true;
        }
        for (int c : classes) {
            if (c == classId) {
                return true;
            }
        }
        return false;
    }

    public double threshold() {
        return threshold;
    }
}
