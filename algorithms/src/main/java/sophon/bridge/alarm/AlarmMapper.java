package sophon.bridge.alarm;

import java.util.List;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.frame.FrameResult;

/** Placeholder. */
public final class AlarmMapper {
    private AlarmMapper() {
    }

    public static Alarm map(AlarmContext context, FrameResult frame, List<AlarmingObject> objects) {
        throw new UnsupportedOperationException("not yet");
    }
}
