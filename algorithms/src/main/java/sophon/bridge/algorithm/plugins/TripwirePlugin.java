package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.LineCrossingAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.task.AlgorithmSpec;

/** Type 1: a tracked person crossing the tripwire, once per track, direction-aware. */
public final class TripwirePlugin implements AlgorithmPlugin {
    private static final FillProfile PROFILE =
            FillProfile.lineCrossing(List.of(0)).withCadenceInBusinessLogic();

    @Override
    public FillProfile fillProfile() {
        return PROFILE;
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return new LineCrossingAlerts(algorithm);
    }
}
