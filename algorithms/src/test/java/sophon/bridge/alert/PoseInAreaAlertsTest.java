package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.alert.Scripts.area;
import static sophon.bridge.alert.Scripts.poseFrame;
import static sophon.bridge.alert.Scripts.spec;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.Keypoint;
import sophon.bridge.frame.Pose;
import sophon.bridge.task.AlgorithmSpec;

class PoseInAreaAlertsTest {
    private static final AlgorithmSpec SPEC =
            spec(5, 3, 1, 10, 50, null, List.of(area(0, 0, 960, 0, 960, 1080, 0, 1080)));

    private static Pose pose(double x, double score) {
        return new Pose(List.of(
                new Keypoint(x, 100, score),
                new Keypoint(x + 40, 150, score),
                new Keypoint(x + 20, 300, score),
                new Keypoint(x + 500, 900, 0.0)));
    }

    @Test
    void aPoseInTheAreaAlarmsAfterTrackIntervalWithItsKeypointsAndBox() {
        PoseInAreaAlerts logic = new PoseInAreaAlerts(SPEC);
        assertTrue(logic.onFrame(poseFrame(0, pose(100, 0.8))).isEmpty());
        assertTrue(logic.onFrame(poseFrame(1, pose(100, 0.8))).isEmpty());
        List<AlarmingObject> out = logic.onFrame(poseFrame(2, pose(100, 0.8)));
        assertEquals(1, out.size());
        assertEquals(100, out.get(0).box().x());
        assertEquals(100, out.get(0).box().y());
        assertEquals(40, out.get(0).box().width());
        assertEquals(200, out.get(0).box().height());
        double[] keypoints = (double[]) out.get(0).extend().get("Keypoints");
        assertArrayEquals(new double[] {100, 100, 0.8}, java.util.Arrays.copyOf(keypoints, 3));
        List<FrameResult> more = new ArrayList<>();
        for (long id = 3; id <= 12; id++) {
            more.add(poseFrame(id, pose(100, 0.8)));
        }
        assertEquals(List.of(12L), Scripts.alarmsOver(logic, more));
    }

    @Test
    void weakOrOutsidePosesDoNotAlarm() {
        List<FrameResult> weak = new ArrayList<>();
        List<FrameResult> outside = new ArrayList<>();
        for (long id = 0; id < 10; id++) {
            weak.add(poseFrame(id, pose(100, 0.3)));
            outside.add(poseFrame(id, pose(1300, 0.9)));
        }
        assertTrue(Scripts.alarmsOver(new PoseInAreaAlerts(SPEC), weak).isEmpty());
        assertTrue(Scripts.alarmsOver(new PoseInAreaAlerts(SPEC), outside).isEmpty());
    }
}
