package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.List;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FaceObjectMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/**
 * Faces ({@code mFaceObjectMetadata}, the retinaface template set) inside the HotArea for
 * TrackInterval frames, then at most one alarm per AlarmInterval frames, carrying every face
 * qualifying then. A face counts when its score reaches the threshold and its box, clamped to
 * the frame, meets TargetSize. Faces are untracked, so presence is "some face in the area".
 * What a plugin for a face algorithm returns from newAlertLogic; no core class changes.
 */
public final class FaceInAreaAlerts implements AlertLogic {
    private final ObjectFilter filter;
    private final HotAreas areas;
    private final DwellTracker dwell;

    public FaceInAreaAlerts(AlgorithmSpec spec) {
        this.filter = new ObjectFilter(spec, List.of());
        this.areas = new HotAreas(spec);
        this.dwell = new DwellTracker(spec, spec.trackIntervalOrDefault());
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        List<DwellTracker.Candidate> candidates = new ArrayList<>(frame.faces().size());
        addFaces(frame, filter, areas, candidates);
        return dwell.update(frame, candidates);
    }

    /** The frame's faces that count (see the class comment), keyed "face", added to out. */
    static void addFaces(FrameResult frame, ObjectFilter filter, HotAreas areas, List<DwellTracker.Candidate> out) {
        for (FaceObjectMetadata face : frame.faces()) {
            Box box = face.box();
            Box clamped = box == null ? null : box.clampTo(frame.width(), frame.height());
            if (clamped != null && filter.scoreOk(face.score()) && filter.sizeOk(clamped) && areas.contains(clamped)) {
                out.add(new DwellTracker.Candidate("face", AlarmingObject.of(face, clamped)));
            }
        }
    }
}
