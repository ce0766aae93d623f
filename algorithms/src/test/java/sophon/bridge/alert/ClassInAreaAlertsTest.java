package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.alert.Scripts.area;
import static sophon.bridge.alert.Scripts.frame;
import static sophon.bridge.alert.Scripts.object;
import static sophon.bridge.alert.Scripts.spec;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TargetSize;

class ClassInAreaAlertsTest {
    // Area: the left half of the frame.
    private static final AlgorithmSpec SPEC =
            spec(3, 5, 1, 20, 50, new TargetSize(30, 400), List.of(area(0, 0, 960, 0, 960, 1080, 0, 1080)));

    private static List<FrameResult> frames(long from, long to, int x, int cls, double score) {
        List<FrameResult> out = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            out.add(frame(id, object(x, 400, 100, 200, cls, score, 7)));
        }
        return out;
    }

    @Test
    void appearsStaysAlarmsAfterTrackIntervalThenOncePerAlarmInterval() {
        ClassInAreaAlerts logic = new ClassInAreaAlerts(SPEC, List.of(0));
        // present from frame 0: dwell reaches 5 at frame 4, then every 20 frames.
        assertEquals(List.of(4L, 24L, 44L), Scripts.alarmsOver(logic, frames(0, 50, 100, 0, 0.9)));
    }

    @Test
    void leavingResetsTheDwellAndComingBackNeedsTrackIntervalAgainButAlarmIntervalStillHolds() {
        ClassInAreaAlerts logic = new ClassInAreaAlerts(SPEC, List.of(0));
        List<FrameResult> script = new ArrayList<>(frames(0, 4, 100, 0, 0.9)); // alarm at 4
        for (long id = 5; id <= 9; id++) {
            script.add(frame(id)); // gone
        }
        script.addAll(frames(10, 30, 100, 0, 0.9)); // back: dwell 5 at 14, interval ends 24
        assertEquals(List.of(4L, 24L), Scripts.alarmsOver(logic, script));
    }

    @Test
    void aSingleMissedDetectionDoesNotBreakTheDwell() {
        ClassInAreaAlerts logic = new ClassInAreaAlerts(SPEC, List.of(0));
        List<FrameResult> script = new ArrayList<>(frames(0, 2, 100, 0, 0.9));
        script.add(frame(3)); // jitter: missed once
        script.addAll(frames(4, 6, 100, 0, 0.9));
        assertEquals(List.of(4L), Scripts.alarmsOver(logic, script));
    }

    @Test
    void outsideTheAreaWrongClassLowScoreOrWrongSizeNeverAlarm() {
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(SPEC, List.of(0)), frames(0, 30, 1200, 0, 0.9))
                .isEmpty());
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(SPEC, List.of(0)), frames(0, 30, 100, 2, 0.9))
                .isEmpty());
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(SPEC, List.of(0)), frames(0, 30, 100, 0, 0.4))
                .isEmpty());
        List<FrameResult> tiny = new ArrayList<>();
        List<FrameResult> huge = new ArrayList<>();
        for (long id = 0; id < 30; id++) {
            tiny.add(frame(id, object(100, 400, 20, 20, 0, 0.9, 7)));
            huge.add(frame(id, object(100, 100, 500, 500, 0, 0.9, 7)));
        }
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(SPEC, List.of(0)), tiny)
                .isEmpty());
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(SPEC, List.of(0)), huge)
                .isEmpty());
    }

    @Test
    void extendClassesOverrideThePluginDefault() throws Exception {
        AlgorithmSpec cars = new AlgorithmSpec(
                3, 5, 1, 20, 50.0, null, null, JsonMapper.builder().build().readTree("{\"Classes\":[2]}"));
        assertEquals(
                List.of(4L), Scripts.alarmsOver(new ClassInAreaAlerts(cars, List.of(0)), frames(0, 10, 100, 2, 0.9)));
    }

    @Test
    void extendClassesMayNameClassesByLabel() throws Exception {
        AlgorithmSpec cars = new AlgorithmSpec(
                3, 5, 1, 20, 50.0, null, null, JsonMapper.builder().build().readTree("{\"Classes\":[\"C2\"]}"));
        assertEquals(
                List.of(4L), Scripts.alarmsOver(new ClassInAreaAlerts(cars, List.of(0)), frames(0, 10, 100, 2, 0.9)));
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(cars, List.of(0)), frames(0, 10, 100, 0, 0.9))
                .isEmpty());
    }

    @Test
    void thresholdAsFractionIsHonouredToo() {
        AlgorithmSpec fraction = spec(3, 1, 1, 100, 0.95, null, null);
        assertTrue(Scripts.alarmsOver(new ClassInAreaAlerts(fraction, List.of(0)), frames(0, 10, 100, 0, 0.9))
                .isEmpty());
    }

    @Test
    void alarmCarriesEveryQualifyingObjectWithTrackAndStay() {
        ClassInAreaAlerts logic = new ClassInAreaAlerts(spec(3, 1, 1, 100, 50, null, null), List.of(0));
        List<AlarmingObject> out =
                logic.onFrame(frame(0, object(100, 100, 50, 80, 0, 0.9, 1), object(500, 100, 50, 80, 0, 0.8, 2)));
        assertEquals(2, out.size());
        assertEquals(1L, out.get(0).extend().get("TrackId"));
        assertEquals(2L, out.get(1).extend().get("TrackId"));
        assertEquals(1L, out.get(0).extend().get("StayFrames"));
    }

    @Test
    void frameIdsGoingBackwardsMeanARestartedSource() {
        ClassInAreaAlerts logic = new ClassInAreaAlerts(SPEC, List.of(0));
        List<FrameResult> script = new ArrayList<>(frames(100, 104, 100, 0, 0.9)); // alarm at 104
        script.addAll(frames(0, 4, 100, 0, 0.9)); // restart: alarm at 4
        assertEquals(List.of(104L, 4L), Scripts.alarmsOver(logic, script));
    }

    @Test
    void passThroughAlarmsAnyClassAtOnceThenPerAlarmInterval() {
        ClassInAreaAlerts logic = ClassInAreaAlerts.passThrough(SPEC);
        assertEquals(List.of(0L, 20L, 40L), Scripts.alarmsOver(logic, frames(0, 50, 100, 9, 0.9)));
    }
}
