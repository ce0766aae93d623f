package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.List;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/**
 * The rule faces and poses share: objects without a track id inside the HotArea for TrackInterval
 * frames, then at most one alarm per AlarmInterval frames carrying every object that counts then.
 * What counts as an object of the kind is the caller's {@link Kind}.
 */
final class UntrackedInArea {
    /** Adds the frame's objects of one kind that pass the filter and lie in the areas to out. */
    interface Kind {
        void addCandidates(FrameResult frame, ObjectFilter filter, HotAreas areas, List<DwellTracker.Candidate> out);
    }

    private final Kind kind;
    private final ObjectFilter filter;
    private final HotAreas areas;
    private final DwellTracker dwell;

    UntrackedInArea(AlgorithmSpec spec, Kind kind) {
        this.kind = kind;
        this.filter = new ObjectFilter(spec, List.of());
        this.areas = new HotAreas(spec);
        this.dwell = new DwellTracker(spec, spec.trackIntervalOrDefault());
    }

    List<AlarmingObject> onFrame(FrameResult frame) {
        List<DwellTracker.Candidate> candidates = new ArrayList<>();
        kind.addCandidates(frame, filter, areas, candidates);
        return dwell.update(frame, candidates);
    }
}
