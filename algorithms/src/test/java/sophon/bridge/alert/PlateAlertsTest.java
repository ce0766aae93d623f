package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.alert.Scripts.area;
import static sophon.bridge.alert.Scripts.frame;
import static sophon.bridge.alert.Scripts.plate;
import static sophon.bridge.alert.Scripts.spec;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

class PlateAlertsTest {
    // TrackInterval 4 frames, DetectInterval 1 (gap 2), absent 30 frames re-arms; area = top half.
    private static final AlgorithmSpec SPEC =
            spec(2, 4, 1, 30, 50, null, List.of(area(0, 0, 1920, 0, 1920, 540, 0, 540)));

    private static void add(List<FrameResult> script, long from, long to, String text) {
        for (long id = from; id <= to; id++) {
            script.add(text == null ? frame(id) : frame(id, plate(300, 200, text, 0.9)));
        }
    }

    @Test
    void aPlateSeenTrackIntervalFramesInARowAlarmsOnceWithItsText() {
        PlateAlerts logic = new PlateAlerts(SPEC);
        List<FrameResult> script = new ArrayList<>();
        add(script, 0, 2, "皖AD10005");
        List<AlarmingObject> none = new ArrayList<>();
        script.forEach(f -> none.addAll(logic.onFrame(f)));
        assertTrue(none.isEmpty());
        List<AlarmingObject> alarm = logic.onFrame(frame(3, plate(300, 200, "皖AD10005", 0.9)));
        assertEquals(1, alarm.size());
        assertEquals("皖AD10005", alarm.get(0).extend().get("VehicleLicense"));
        List<FrameResult> stays = new ArrayList<>();
        add(stays, 4, 200, "皖AD10005");
        assertTrue(Scripts.alarmsOver(logic, stays).isEmpty(), "a plate that stays alarms once");
    }

    @Test
    void shortAbsenceDoesNotReAlarmLongAbsenceDoes() {
        List<FrameResult> script = new ArrayList<>();
        add(script, 0, 5, "A1"); // alarm at 3
        add(script, 6, 20, null); // absent 15 frames (< 30)
        add(script, 21, 30, "A1"); // no alarm
        add(script, 31, 70, null); // absent 40 frames (>= 30): re-armed
        add(script, 71, 80, "A1"); // alarm at 74
        assertEquals(List.of(3L, 74L), Scripts.alarmsOver(new PlateAlerts(SPEC), script));
    }

    @Test
    void inARowToleratesOneMissedRecognitionButNotALongerGap() {
        List<FrameResult> jitter = new ArrayList<>();
        add(jitter, 0, 1, "B2");
        add(jitter, 2, 2, null); // missed once
        add(jitter, 3, 4, "B2"); // 5 frames since first: alarm at 3
        assertEquals(List.of(3L), Scripts.alarmsOver(new PlateAlerts(SPEC), jitter));
        List<FrameResult> gap = new ArrayList<>();
        add(gap, 0, 1, "B2");
        add(gap, 2, 5, null); // gone 4 frames
        add(gap, 6, 10, "B2"); // starts over at 6: alarm at 9
        assertEquals(List.of(9L), Scripts.alarmsOver(new PlateAlerts(SPEC), gap));
    }

    @Test
    void outsideTheAreaBlankTextOrLowScoreNeverAlarm() {
        List<FrameResult> outside = new ArrayList<>();
        List<FrameResult> blank = new ArrayList<>();
        List<FrameResult> weak = new ArrayList<>();
        for (long id = 0; id < 20; id++) {
            outside.add(frame(id, plate(300, 800, "C3", 0.9)));
            blank.add(frame(id, plate(300, 200, " ", 0.9)));
            weak.add(frame(id, plate(300, 200, "C3", 0.3)));
        }
        assertTrue(Scripts.alarmsOver(new PlateAlerts(SPEC), outside).isEmpty());
        assertTrue(Scripts.alarmsOver(new PlateAlerts(SPEC), blank).isEmpty());
        assertTrue(Scripts.alarmsOver(new PlateAlerts(SPEC), weak).isEmpty());
    }

    @Test
    void twoPlatesInOneFrameAlarmTogether() {
        PlateAlerts logic = new PlateAlerts(spec(2, 1, 1, 30, 50, null, null));
        List<AlarmingObject> out = logic.onFrame(frame(0, plate(100, 100, "D4", 0.9), plate(600, 100, "E5", 0.9)));
        assertEquals(2, out.size());
        assertEquals("E5", out.get(1).extend().get("VehicleLicense"));
    }
}
