package sophon.bridge.algorithm;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.alert.ClassInAreaAlerts;
import sophon.bridge.alert.LineCrossingAlerts;
import sophon.bridge.alert.PlateAlerts;
import sophon.bridge.alert.PoseInAreaAlerts;
import sophon.bridge.task.AlgorithmSpec;

/** Jobs 2 of the shipped plugins, found through the type map as the business-logic process finds them. */
class PluginAlertJobsTest {
    private static AlgorithmSpec spec(int type) {
        return new AlgorithmSpec(type, 20, 3, 300, 50.0, null, null, null);
    }

    @Test
    void eachShippedTypeGetsItsAlertLogic() {
        AlgorithmRegistry registry = AlgorithmRegistry.load();
        assertInstanceOf(
                LineCrossingAlerts.class, registry.plugin(1).orElseThrow().newAlertLogic(spec(1)));
        assertInstanceOf(PlateAlerts.class, registry.plugin(2).orElseThrow().newAlertLogic(spec(2)));
        assertInstanceOf(
                ClassInAreaAlerts.class, registry.plugin(3).orElseThrow().newAlertLogic(spec(3)));
        assertInstanceOf(
                ClassInAreaAlerts.class, registry.plugin(4).orElseThrow().newAlertLogic(spec(4)));
        assertInstanceOf(
                PoseInAreaAlerts.class, registry.plugin(5).orElseThrow().newAlertLogic(spec(5)));
        assertInstanceOf(PlateAlerts.class, registry.plugin(16).orElseThrow().newAlertLogic(spec(16)));
        assertTrue(registry.types().stream().map(AlgorithmType::type).toList().containsAll(List.of(1, 2, 3, 4, 5, 16)));
    }
}
