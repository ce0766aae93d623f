package sophon.bridge.cpustream.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import sophon.bridge.cpustream.frame.Detection;

/** Greedy per-class non-maximum suppression. */
public final class Nms {
    private Nms() {}

    public static List<Detection> apply(List<Detection> in, double iouThreshold) {
        List<Detection> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.classId() == d.classId() && k.iou(d) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }
}
