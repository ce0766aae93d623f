package sophon.bridge.algorithm;

import java.util.List;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.alarm.AlarmImageException;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.streamconfig.ConfigSet;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/**
 * One algorithm type. Found through the type map ({@code sophon-bridge/algorithm-types.json}),
 * so adding one touches no core class. Implementations need a public no-argument constructor.
 */
public interface AlgorithmPlugin {

    /** Job 1 (server): fill the task's parameters into the config set copied from the template. */
    void fillConfig(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm);

    /** Job 2 (business logic): fresh per-task alert state deciding which objects of a frame alarm. */
    AlertLogic newAlertLogic(AlgorithmSpec algorithm);

    /**
     * Job 3 (business logic): the application-web alarm for a frame and its (non-empty) alarming
     * objects. Throws when the frame's image cannot make a valid alarm; no alarm is sent then.
     */
    Alarm toAlarm(AlarmContext context, FrameResult frame, List<AlarmingObject> objects) throws AlarmImageException;
}
