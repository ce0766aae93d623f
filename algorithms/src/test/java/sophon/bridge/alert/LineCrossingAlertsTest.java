package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.alert.Scripts.frame;
import static sophon.bridge.alert.Scripts.person;
import static sophon.bridge.alert.Scripts.spec;
import static sophon.bridge.alert.Scripts.wire;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

class LineCrossingAlertsTest {
    // A horizontal wire at y = 500 from x = 200 to x = 1200. Foot point = bottom centre of the box.
    private static AlgorithmSpec wireSpec(double dy1, double dy2) {
        return spec(1, 20, 1, 300, 50, null, List.of(wire(200, 500, 1200, 500, 0, dy1, 0, dy2)));
    }

    private static final AlgorithmSpec ANY_WAY = wireSpec(0, 0);
    private static final AlgorithmSpec DOWNWARDS = wireSpec(100, 900);
    private static final AlgorithmSpec UPWARDS = wireSpec(900, 100);

    /** A person (track) whose feet are at the given y values, frame by frame, x = 600. */
    private static List<FrameResult> walk(long track, int... feetY) {
        List<FrameResult> out = new ArrayList<>();
        for (int i = 0; i < feetY.length; i++) {
            out.add(frame(i, person(560, feetY[i] - 200, 80, 200, track)));
        }
        return out;
    }

    @Test
    void crossingAlarmsOncePerTrackEvenWhenWalkingBackAndForth() {
        assertEquals(
                List.of(3L),
                Scripts.alarmsOver(
                        new LineCrossingAlerts(ANY_WAY), walk(5, 400, 440, 480, 530, 570, 520, 450, 400, 560, 600)));
    }

    @Test
    void directionAwareCrossingCountsOnlyTowardsTheArrow() {
        int[] down = {400, 450, 560, 600};
        int[] up = {600, 560, 450, 400};
        assertEquals(List.of(2L), Scripts.alarmsOver(new LineCrossingAlerts(DOWNWARDS), walk(1, down)));
        assertTrue(Scripts.alarmsOver(new LineCrossingAlerts(DOWNWARDS), walk(1, up))
                .isEmpty());
        assertEquals(List.of(2L), Scripts.alarmsOver(new LineCrossingAlerts(UPWARDS), walk(1, up)));
        assertTrue(Scripts.alarmsOver(new LineCrossingAlerts(UPWARDS), walk(1, down))
                .isEmpty());
    }

    @Test
    void jitterAtTheLineRaisesNothingUntilARealCrossing() {
        // dead band is 0.5% of (1920 + 1080) = 15 px: ±8 px wobble stays "on the line"
        assertTrue(Scripts.alarmsOver(new LineCrossingAlerts(ANY_WAY), walk(3, 460, 492, 508, 494, 507, 493, 506, 495))
                .isEmpty());
        assertEquals(
                List.of(6L),
                Scripts.alarmsOver(new LineCrossingAlerts(ANY_WAY), walk(3, 460, 492, 508, 494, 507, 493, 540, 560)));
    }

    @Test
    void passingBesideTheWireIsNoCrossing() {
        List<FrameResult> beside = new ArrayList<>();
        int[] feet = {400, 450, 560, 600};
        for (int i = 0; i < feet.length; i++) {
            beside.add(frame(i, person(1500, feet[i] - 200, 80, 200, 9)));
        }
        assertTrue(Scripts.alarmsOver(new LineCrossingAlerts(ANY_WAY), beside).isEmpty());
    }

    @Test
    void eachTrackAlarmsItsOwnCrossingAndUntrackedOnesNone() {
        LineCrossingAlerts logic = new LineCrossingAlerts(ANY_WAY);
        assertTrue(logic.onFrame(frame(0, person(560, 200, 80, 200, 1), person(800, 200, 80, 200, 2)))
                .isEmpty());
        List<AlarmingObject> both = logic.onFrame(frame(1, person(560, 400, 80, 200, 1), person(800, 400, 80, 200, 2)));
        assertEquals(2, both.size());
        assertEquals(1L, both.get(0).extend().get("TrackId"));
        assertEquals(2L, both.get(1).extend().get("TrackId"));
        LineCrossingAlerts untracked = new LineCrossingAlerts(ANY_WAY);
        assertTrue(Scripts.alarmsOver(untracked, walk(-1, 400, 600)).isEmpty());
    }

    @Test
    void allZeroTripWireMeansNoLineAndNoAlarm() {
        LineCrossingAlerts logic =
                new LineCrossingAlerts(spec(1, 20, 1, 300, 50, null, List.of(wire(0, 0, 0, 0, 0, 0, 0, 0))));
        assertTrue(!logic.hasLines());
        assertTrue(Scripts.alarmsOver(logic, walk(5, 400, 600, 400, 600)).isEmpty());
    }

    @Test
    void otherClassesDoNotCross() {
        List<FrameResult> cars = new ArrayList<>();
        int[] feet = {400, 600};
        for (int i = 0; i < feet.length; i++) {
            cars.add(frame(i, Scripts.object(560, feet[i] - 200, 80, 200, 2, 0.9, 4)));
        }
        assertTrue(Scripts.alarmsOver(new LineCrossingAlerts(ANY_WAY), cars).isEmpty());
    }
}
