package sophon.bridge.alert;

import java.util.List;
import sophon.bridge.frame.FrameResult;

/**
 * Per-task alert state: decides, frame by frame, which objects raise an alarm. Called with the
 * frames of one task in arrival order, from one thread at a time (the caller serialises).
 * Returns an empty list for frames that do not alarm.
 */
public interface AlertLogic {
    List<AlarmingObject> onFrame(FrameResult frame);
}
