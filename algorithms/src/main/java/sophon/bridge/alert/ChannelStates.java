package sophon.bridge.alert;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import sophon.bridge.frame.FrameResult;

/**
 * An alert rule's state per channel, counted in frame ids. A frame id going backwards means the
 * source restarted (a file replayed, a camera reconnected): the channel starts over with fresh
 * state, so no dwell, plate or track of the previous run carries into the new one.
 */
final class ChannelStates<S> {
    /** How many keys (objects, plates) one channel remembers before it forgets them all. */
    static final int MAX_KEYS = 4096;

    private final Supplier<S> fresh;
    private final Map<Integer, Slot<S>> channels = new HashMap<>();
    // A task's frames come from one channel, or a few in turn: the last one found is the next one.
    private int lastChannel;
    private Slot<S> lastSlot;

    private static final class Slot<S> {
        long lastFrame = -1;
        S state;
    }

    ChannelStates(Supplier<S> fresh) {
        this.fresh = fresh;
    }

    /** The state of the frame's channel, fresh when this is its first frame or its id went backwards. */
    S of(FrameResult frame) {
        Slot<S> slot = lastSlot;
        if (slot == null || lastChannel != frame.channelId()) {
            slot = channels.computeIfAbsent(frame.channelId(), c -> new Slot<>());
            lastChannel = frame.channelId();
            lastSlot = slot;
        }
        long id = frame.frameId();
        if (slot.state == null || id < slot.lastFrame) {
            slot.state = fresh.get();
        }
        slot.lastFrame = id;
        return slot.state;
    }

    /**
     * Forgets every key once a channel holds more than {@code max}: the rules drop stale keys
     * themselves, so only a flood of new ones (a detector gone wild) gets here, and starting over
     * costs at most one delayed alarm while the memory stays bounded.
     */
    static void bound(Map<?, ?> keys, int max) {
        if (keys.size() > max) {
            keys.clear();
        }
    }
}
