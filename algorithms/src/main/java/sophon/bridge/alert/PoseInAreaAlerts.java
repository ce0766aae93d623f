package sophon.bridge.alert;

import java.util.List;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/** Placeholder. */
public final class PoseInAreaAlerts implements AlertLogic {
    public PoseInAreaAlerts(AlgorithmSpec spec) {
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        throw new UnsupportedOperationException("not yet");
    }
}
