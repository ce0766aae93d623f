package sophon.bridge.alert;

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
    private final UntrackedInArea alerts;

    public FaceInAreaAlerts(AlgorithmSpec spec) {
        this.alerts = new UntrackedInArea(spec, FaceInAreaAlerts::addFaces);
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        return alerts.onFrame(frame);
    }

    /** The frame's faces that count (see the class comment), keyed "face", added to out. */
    static void addFaces(FrameResult frame, ObjectFilter filter, HotAreas areas, List<DwellTracker.Candidate> out) {
        for (FaceObjectMetadata face : frame.faces()) {
            Box box = face.box();
            Box clamped = box == null ? null : box.clampTo(frame.width(), frame.height());
            if (clamped != null && filter.scoreOk(face.score()) && filter.sizeOk(clamped) && areas.contains(clamped)) {
                out.add(new DwellTracker.Candidate("face", () -> AlarmingObject.of(face, clamped)));
            }
        }
    }
}
