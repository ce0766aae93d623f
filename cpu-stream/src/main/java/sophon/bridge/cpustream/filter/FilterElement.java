package sophon.bridge.cpustream.filter;

import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.element.Element;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Frame;

/**
 * The filter element for one channel, with sophon-stream's semantics: each rule narrows the
 * frame's objects in turn (working time, classes, areas, direction, then the alert cadence);
 * a frame goes on only if at least one rule passed, and then carries only the objects that
 * passed. End-of-stream frames always go on; a channel without rules is not filtered.
 */
public final class FilterElement implements Element {
    private static final Logger LOG = LoggerFactory.getLogger(FilterElement.class);
    private final List<FilterRule> rules;
    private final Clock clock;
    private final List<Map<String, Integer>> consecutive = new ArrayList<>();
    private final List<Map<Integer, double[]>> lastCentre = new ArrayList<>();
    private final List<Map<Integer, double[]>> motion = new ArrayList<>();
    private final long[] framesSeen;

    public FilterElement(int channelId, Map<Integer, List<FilterRule>> rulesByChannel, Clock clock) {
        this.rules = rulesByChannel.get(channelId);
        this.clock = clock;
        int n = rules == null ? 0 : rules.size();
        for (int i = 0; i < n; i++) {
            consecutive.add(new HashMap<>());
            lastCentre.add(new HashMap<>());
            motion.add(new HashMap<>());
        }
        framesSeen = new long[n];
        if (rules == null) {
            LOG.warn("filter: channel {} has no rules and will not be filtered", channelId);
        }
    }

    @Override
    public void process(Frame frame, Consumer<Frame> out) {
        if (frame.endOfStream() || rules == null) {
            out.accept(frame);
            return;
        }
        List<Detection> dets = new ArrayList<>(frame.detections());
        List<Integer> ids = new ArrayList<>(frame.trackIds());
        boolean tracked = ids.size() == dets.size() && !ids.isEmpty();
        int tag = 0;
        for (int i = 0; i < rules.size(); i++) {
            FilterRule r = rules.get(i);
            if (!dets.isEmpty() && !inWorkingTime(r)) {
                continue;
            }
            if (!keep(dets, ids, tracked, d -> r.classes().contains(d.classId()))) {
                continue;
            }
            if (!keep(dets, ids, tracked, d -> inAnyArea(d, r))) {
                continue;
            }
            if (r.type() == 1 && r.direction() != null && !keepDirection(i, r, dets, ids, tracked)) {
                continue;
            }
            if ((r.type() == 0 || r.type() == 1) && !cadence(i, r, dets, ids, tracked)) {
                continue;
            }
            tag |= 1 << i;
        }
        if (tag == 0) {
            return;
        }
        frame.setDetections(dets);
        if (tracked) {
            frame.setTrackIds(ids);
        }
        out.accept(frame);
    }

    private boolean inWorkingTime(FilterRule r) {
        int now = LocalTime.now(clock).toSecondOfDay();
        for (int[] span : r.times()) {
            if (now >= span[0] && now <= span[1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean inAnyArea(Detection d, FilterRule r) {
        for (List<Geometry.P> area : r.areas()) {
            if (Geometry.boxMatches(d.x(), d.y(), d.right(), d.bottom(), area)) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the objects matching {@code test} (and their track ids); false when none is left. */
    private static boolean keep(
            List<Detection> dets, List<Integer> ids, boolean tracked, java.util.function.Predicate<Detection> test) {
        for (int j = dets.size() - 1; j >= 0; j--) {
            if (!test.test(dets.get(j))) {
                dets.remove(j);
                if (tracked) {
                    ids.remove(j);
                }
            }
        }
        return !dets.isEmpty();
    }

    /**
     * Every trajectory_interval frames each track's centre is sampled; a box passes when its
     * last measured motion makes an angle of at most 90 degrees with the rule's direction.
     */
    private boolean keepDirection(int i, FilterRule r, List<Detection> dets, List<Integer> ids, boolean tracked) {
        if (!tracked) {
            dets.clear();
            return false;
        }
        Map<Integer, double[]> last = lastCentre.get(i), moved = motion.get(i);
        if (framesSeen[i]++ % r.trajectoryInterval() == 0) {
            for (int j = 0; j < dets.size(); j++) {
                Detection d = dets.get(j);
                double[] c = {d.x() + d.width() / 2.0, d.y() + d.height() / 2.0};
                double[] prev = last.put(ids.get(j), c);
                if (prev != null) {
                    moved.put(ids.get(j), new double[] {c[0] - prev[0], c[1] - prev[1]});
                }
            }
            Set<Integer> present = new HashSet<>(ids);
            last.keySet().retainAll(present);
            moved.keySet().retainAll(present);
        }
        Set<Integer> ok = new HashSet<>();
        for (Map.Entry<Integer, double[]> e : moved.entrySet()) {
            double dot = e.getValue()[0] * r.direction()[0] + e.getValue()[1] * r.direction()[1];
            if (dot >= 0) {
                ok.add(e.getKey());
            }
        }
        return keepIds(dets, ids, ok);
    }

    /**
     * Counts, per object name (track id, or label for type 0), the consecutive frames that
     * reached this point; an object is alerted on its (first+1)-th frame and then every
     * alert_frame_skip_nums frames, as sophon-stream does.
     */
    private boolean cadence(int i, FilterRule r, List<Detection> dets, List<Integer> ids, boolean tracked) {
        Map<String, Integer> counts = consecutive.get(i);
        Map<String, Integer> now = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < dets.size(); j++) {
            String name = r.type() == 1
                    ? (tracked ? "t" + ids.get(j) : null)
                    : "l" + dets.get(j).label();
            names.add(name);
            if (name != null && !now.containsKey(name)) {
                now.put(name, counts.getOrDefault(name, 0) + 1);
            }
        }
        counts.clear();
        counts.putAll(now);
        Set<String> alert = new HashSet<>();
        for (Map.Entry<String, Integer> e : now.entrySet()) {
            int n = e.getValue();
            if (n > r.alertFirstFrame() && (n - r.alertFirstFrame() - 1) % r.alertFrameSkipNums() == 0) {
                alert.add(e.getKey());
            }
        }
        if (alert.isEmpty()) {
            return false;
        }
        for (int j = dets.size() - 1; j >= 0; j--) {
            if (names.get(j) == null || !alert.contains(names.get(j))) {
                dets.remove(j);
                if (tracked) {
                    ids.remove(j);
                }
            }
        }
        return true;
    }

    private static boolean keepIds(List<Detection> dets, List<Integer> ids, Set<Integer> ok) {
        for (int j = dets.size() - 1; j >= 0; j--) {
            if (!ok.contains(ids.get(j))) {
                dets.remove(j);
                ids.remove(j);
            }
        }
        return !dets.isEmpty();
    }
}
