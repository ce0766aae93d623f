package sophon.bridge.alert;

import java.util.List;
import java.util.Map;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.Pose;
import sophon.bridge.task.AlgorithmSpec;

/**
 * openpose: a person pose inside the HotArea for TrackInterval frames, then at most one alarm per
 * AlarmInterval frames. A pose counts when at least {@value #MIN_KEYPOINTS} keypoints score at or
 * above the threshold; its box is those keypoints' bounding box (TargetSize applies to it) and
 * its keypoints go into Extend. Poses are untracked, so presence is "some pose in the area".
 */
public final class PoseInAreaAlerts implements AlertLogic {
    static final int MIN_KEYPOINTS = 3;

    private final UntrackedInArea alerts;

    public PoseInAreaAlerts(AlgorithmSpec spec) {
        this.alerts = new UntrackedInArea(spec, PoseInAreaAlerts::addPoses);
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        return alerts.onFrame(frame);
    }

    /** The frame's poses that count (see the class comment), keyed "pose", added to out. */
    private static void addPoses(
            FrameResult frame, ObjectFilter filter, HotAreas areas, List<DwellTracker.Candidate> out) {
        for (Pose pose : frame.poses()) {
            if (pose.validKeypoints(filter.threshold()) < MIN_KEYPOINTS) {
                continue;
            }
            Box box = pose.boundingBox(filter.threshold());
            Box clamped = box == null ? null : box.clampTo(frame.width(), frame.height());
            if (clamped == null || !filter.sizeOk(clamped) || !areas.contains(clamped)) {
                continue;
            }
            out.add(new DwellTracker.Candidate(
                    "pose",
                    () -> new AlarmingObject(clamped, Map.of("ClassName", "person", "Keypoints", pose.flat()))));
        }
    }
}
