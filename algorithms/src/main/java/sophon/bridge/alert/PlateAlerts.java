package sophon.bridge.alert;

import java.util.List;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/** Placeholder. */
public final class PlateAlerts implements AlertLogic {
    public PlateAlerts(AlgorithmSpec spec) {
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        throw new UnsupportedOperationException("not yet");
    }
}
