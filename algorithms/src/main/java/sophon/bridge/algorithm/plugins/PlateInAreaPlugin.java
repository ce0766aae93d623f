package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.PlateAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.task.AlgorithmSpec;

/**
 * license_area_intrusion (2) and license_plate_recognition (16, older builds): a plate text seen
 * TrackInterval frames in a row inside the HotArea; the two differ only in their template graph.
 */
public final class PlateInAreaPlugin implements AlgorithmPlugin {
    private static final FillProfile PROFILE =
            FillProfile.recognition(List.of(0)).withCadenceInBusinessLogic();

    @Override
    public FillProfile fillProfile() {
        return PROFILE;
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return new PlateAlerts(algorithm);
    }
}
