package sophon.bridge.algorithm;

import java.util.List;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.alarm.AlarmImageException;
import sophon.bridge.alarm.AlarmMapper;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.streamconfig.ConfigSet;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.streamconfig.StandardFill;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/**
 * One algorithm type. Found through the type map ({@code sophon-bridge/algorithm-types.json}),
 * so adding one touches no core class. Implementations need a public no-argument constructor.
 * A plugin says what differs — its {@link #fillProfile()} and its alert logic — and inherits the
 * standard config fill and alarm; it overrides those only when its graph or alarm is unusual.
 */
public interface AlgorithmPlugin {

    /** What differs between algorithms when a task is filled into the config set (filter type, classes). */
    FillProfile fillProfile();

    /** Job 1 (server): fill the task's parameters into the config set copied from the template. */
    default void fillConfig(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm) {
        StandardFill.apply(configs, task, algorithm, fillProfile());
    }

    /** Job 2 (business logic): fresh per-task alert state deciding which objects of a frame alarm. */
    AlertLogic newAlertLogic(AlgorithmSpec algorithm);

    /**
     * Job 3 (business logic): the application-web alarm for a frame and its (non-empty) alarming
     * objects. Throws when the frame's image cannot make a valid alarm; no alarm is sent then.
     */
    default Alarm toAlarm(AlarmContext context, FrameResult frame, List<AlarmingObject> objects)
            throws AlarmImageException {
        return AlarmMapper.map(context, frame, objects);
    }
}
