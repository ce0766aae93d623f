package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.List;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/**
 * yolov5 / yolov8: an object of a configured class inside the HotArea for TrackInterval frames,
 * then at most one alarm per AlarmInterval frames (carrying every object qualifying then).
 * Tracked objects are followed by track id; untracked ones by class.
 */
public final class ClassInAreaAlerts implements AlertLogic {
    private final ObjectFilter filter;
    private final HotAreas areas;
    private final DwellTracker dwell;
    private final boolean faces;

    public ClassInAreaAlerts(AlgorithmSpec spec, List<Integer> defaultClasses) {
        this(spec, defaultClasses, spec.trackIntervalOrDefault(), false);
    }

    private ClassInAreaAlerts(AlgorithmSpec spec, List<Integer> defaultClasses, int requiredFrames, boolean faces) {
        this.filter = new ObjectFilter(spec, defaultClasses);
        this.areas = new HotAreas(spec);
        this.dwell = new DwellTracker(spec, requiredFrames);
        this.faces = faces;
    }

    /**
     * The default of a new plugin: every detection (any class, above threshold, TargetSize) and
     * every face ({@code mFaceObjectMetadata}, as {@link FaceInAreaAlerts} counts them) inside
     * the HotArea alarms at once, and then once per AlarmInterval; so a plugin made on the
     * retinaface set alarms on faces as one made on a detector's set does on detections.
     */
    public static ClassInAreaAlerts passThrough(AlgorithmSpec spec) {
        return new ClassInAreaAlerts(spec, List.of(), 1, true);
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        List<DwellTracker.Candidate> candidates =
                new ArrayList<>(frame.objects().size());
        for (DetectedObject o : frame.objects()) {
            if (filter.accepts(o) && areas.contains(o.box())) {
                String key = o.tracked() ? "t" + o.trackId() : "c" + o.classId();
                candidates.add(new DwellTracker.Candidate(key, () -> AlarmingObject.of(o)));
            }
        }
        if (faces) {
            FaceInAreaAlerts.addFaces(frame, filter, areas, candidates);
        }
        return dwell.update(frame, candidates);
    }
}
