package sophon.bridge.alert;

import java.util.List;
import sophon.bridge.frame.FrameResult;

/** Per-task alert state: decides, frame by frame, which objects raise an alarm. */
public interface AlertLogic {
    List<AlarmingObject> onFrame(FrameResult frame);
}
