package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.Box;

class DwellTrackerTest {
    @Test
    void anAlarmingObjectIsMadeOnlyOnTheFramesThatAlarm() {
        // TrackInterval 5, AlarmInterval 20: the object is in the area on all 51 frames, alarms on 3
        DwellTracker dwell = new DwellTracker(Scripts.spec(3, 5, 1, 20, 50, null, List.of()), 5);
        AtomicInteger made = new AtomicInteger();
        DwellTracker.Candidate candidate = new DwellTracker.Candidate("t7", () -> {
            made.incrementAndGet();
            return new AlarmingObject(new Box(10, 20, 30, 40), Map.of("TrackId", 7));
        });
        List<Long> alarms = new ArrayList<>();
        for (long id = 0; id <= 50; id++) {
            List<AlarmingObject> out = dwell.update(Scripts.frame(id), List.of(candidate));
            if (!out.isEmpty()) {
                alarms.add(id);
                assertEquals(1, out.size());
                assertEquals(
                        Map.of("TrackId", 7, "StayFrames", id + 1), out.get(0).extend());
                assertEquals(new Box(10, 20, 30, 40), out.get(0).box());
            }
        }
        assertEquals(List.of(4L, 24L, 44L), alarms);
        assertEquals(3, made.get(), "made for the 3 alarms, not for each of the 47 frames past the dwell");
    }
}
