package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/**
 * "Present for TrackInterval frames, then at most one alarm per AlarmInterval frames", counted in
 * frame ids (so DetectInterval sampling does not stretch the intervals). A key missing for more
 * than two sampling steps starts over, which absorbs a detector missing an object once.
 * State is per channel ({@link ChannelStates}: a frame id going backwards resets the channel).
 */
final class DwellTracker {
    /**
     * One object of this frame that may alarm, identified across frames by key. The object is
     * made only for an alarm: most frames with an object in the area raise none (dwell not yet
     * reached, or within AlarmInterval), and its Extend maps were most of the rule's cost per frame.
     */
    record Candidate(String key, Supplier<AlarmingObject> object) {}

    private final int requiredFrames;
    private final int alarmInterval;
    private final int gap;
    private final ChannelStates<Channel> channels = new ChannelStates<>(Channel::new);

    private static final class Presence {
        final long first;
        long last;

        Presence(long first) {
            this.first = first;
            this.last = first;
        }
    }

    private static final class Channel {
        boolean alarmed;
        long lastAlarm;
        final Map<String, Presence> keys = new HashMap<>();
    }

    DwellTracker(AlgorithmSpec spec, int requiredFrames) {
        this.requiredFrames = Math.max(1, requiredFrames);
        this.alarmInterval = spec.alarmIntervalOrDefault();
        this.gap = 2 * spec.detectIntervalOrDefault();
    }

    List<AlarmingObject> update(FrameResult frame, List<Candidate> candidates) {
        Channel ch = channels.of(frame);
        long id = frame.frameId();
        boolean due = !ch.alarmed || id - ch.lastAlarm >= alarmInterval;
        List<AlarmingObject> qualifying = List.of();
        for (Candidate c : candidates) {
            Presence p = ch.keys.get(c.key());
            if (p == null || id - p.last > gap) {
                p = new Presence(id);
                ch.keys.put(c.key(), p);
            }
            p.last = id;
            long dwell = id - p.first + 1;
            if (due && dwell >= requiredFrames) {
                if (qualifying.isEmpty()) {
                    qualifying = new ArrayList<>(candidates.size());
                }
                qualifying.add(c.object().get().with("StayFrames", dwell));
            }
        }
        ch.keys.values().removeIf(p -> id - p.last > gap);
        ChannelStates.bound(ch.keys, ChannelStates.MAX_KEYS);
        if (qualifying.isEmpty()) {
            return List.of();
        }
        ch.alarmed = true;
        ch.lastAlarm = id;
        return qualifying;
    }
}
