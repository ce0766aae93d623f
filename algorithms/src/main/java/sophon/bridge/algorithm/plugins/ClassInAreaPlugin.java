package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.alarm.AlarmImageException;
import sophon.bridge.alarm.AlarmMapper;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.ClassInAreaAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.streamconfig.ConfigSet;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.streamconfig.StandardFill;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/**
 * yolov5 (3) and yolov8 (4): an object of a configured class inside the HotArea for TrackInterval
 * frames; the two differ only in their template graph.
 */
public final class ClassInAreaPlugin implements AlgorithmPlugin {
    private static final FillProfile PROFILE =
            FillProfile.classInArea(List.of(0)).withTaskClasses();

    @Override
    public void fillConfig(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm) {
        StandardFill.apply(configs, task, algorithm, PROFILE);
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return new ClassInAreaAlerts(algorithm, PROFILE.classes());
    }

    @Override
    public Alarm toAlarm(AlarmContext context, FrameResult frame, List<AlarmingObject> objects)
            throws AlarmImageException {
        return AlarmMapper.map(context, frame, objects);
    }
}
