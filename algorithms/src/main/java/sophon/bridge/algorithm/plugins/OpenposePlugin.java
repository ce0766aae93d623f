package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.PoseInAreaAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.task.AlgorithmSpec;

/** Type 5: a person pose inside the area; keypoints go into Extend. */
public final class OpenposePlugin implements AlgorithmPlugin {
    private static final FillProfile PROFILE = FillProfile.classInArea(List.of(0));

    @Override
    public FillProfile fillProfile() {
        return PROFILE;
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return new PoseInAreaAlerts(algorithm);
    }
}
