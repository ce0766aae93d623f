package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.ClassInAreaAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.task.AlgorithmSpec;

/**
 * yolov5 (3) and yolov8 (4): an object of a configured class inside the HotArea for TrackInterval
 * frames; the two differ only in their template graph.
 */
public final class ClassInAreaPlugin implements AlgorithmPlugin {
    private static final FillProfile PROFILE =
            FillProfile.classInArea(List.of(0)).withTaskClasses();

    @Override
    public FillProfile fillProfile() {
        return PROFILE;
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return new ClassInAreaAlerts(algorithm, PROFILE.classes());
    }
}
