package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;

class ChannelStatesTest {
    private static FrameResult frame(int channel, long id) {
        return new FrameResult(
                ObjectMetadata.of(new FrameMetadata(channel, id, id, 1920, 1080, false, Base64Image.of("/9j/AA=="))),
                List.of(),
                0,
                0);
    }

    @Test
    void aFrameIdGoingBackwardsStartsThatChannelOverAndNoOther() {
        ChannelStates<List<Long>> states = new ChannelStates<>(ArrayList::new);
        List<Long> zero = states.of(frame(0, 10));
        List<Long> one = states.of(frame(1, 10));
        assertNotSame(zero, one, "one state per channel");
        assertSame(zero, states.of(frame(0, 10)), "the same id again is not backwards");
        assertSame(zero, states.of(frame(0, 11)));
        List<Long> restarted = states.of(frame(0, 3));
        assertNotSame(zero, restarted, "the source restarted");
        assertSame(one, states.of(frame(1, 12)));
    }

    @Test
    void aChannelPastItsKeyBoundForgetsEveryKey() {
        Map<Integer, Integer> keys = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            keys.put(i, i);
        }
        ChannelStates.bound(keys, 5);
        assertEquals(5, keys.size(), "at the bound: kept");
        keys.put(5, 5);
        ChannelStates.bound(keys, 5);
        assertTrue(keys.isEmpty());
    }

    @Test
    void everyRuleStartsOverWhenTheSourceRestarts() {
        // a plate seen for TrackInterval-1 frames, then the file replays from 0: the count starts over
        PlateAlerts plates = new PlateAlerts(Scripts.spec(2, 3, 1, 100, 50, null, List.of()));
        List<FrameResult> script = new ArrayList<>();
        script.add(Scripts.frame(100, Scripts.plate(100, 100, "AB123", 0.9)));
        script.add(Scripts.frame(101, Scripts.plate(100, 100, "AB123", 0.9)));
        script.add(Scripts.frame(0, Scripts.plate(100, 100, "AB123", 0.9)));
        script.add(Scripts.frame(1, Scripts.plate(100, 100, "AB123", 0.9)));
        script.add(Scripts.frame(2, Scripts.plate(100, 100, "AB123", 0.9)));
        assertEquals(List.of(2L), Scripts.alarmsOver(plates, script));
    }
}
