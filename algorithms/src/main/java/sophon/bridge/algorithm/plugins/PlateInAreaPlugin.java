package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.alarm.AlarmImageException;
import sophon.bridge.alarm.AlarmMapper;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.PlateAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.streamconfig.ConfigSet;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.streamconfig.StandardFill;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/**
 * license_area_intrusion (2) and license_plate_recognition (16, older builds): a plate text seen
 * TrackInterval frames in a row inside the HotArea; the two differ only in their template graph.
 */
public final class PlateInAreaPlugin implements AlgorithmPlugin {
    private static final FillProfile PROFILE =
            FillProfile.recognition(List.of(0)).withCadenceInBusinessLogic();

    @Override
    public void fillConfig(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm) {
        StandardFill.apply(configs, task, algorithm, PROFILE);
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return new PlateAlerts(algorithm);
    }

    @Override
    public Alarm toAlarm(AlarmContext context, FrameResult frame, List<AlarmingObject> objects)
            throws AlarmImageException {
        return AlarmMapper.map(context, frame, objects);
    }
}
