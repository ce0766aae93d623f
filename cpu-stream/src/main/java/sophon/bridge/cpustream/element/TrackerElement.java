package sophon.bridge.cpustream.element;

import java.util.function.Consumer;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.cpustream.track.ByteTracker;

/** bytetrack: gives each detection a stable mTrackId; untracked detections are not passed on. */
public final class TrackerElement implements Element {
    private final ByteTracker tracker;

    public TrackerElement(ByteTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void process(Frame frame, Consumer<Frame> out) {
        if (!frame.endOfStream() && !frame.skipped()) {
            ByteTracker.Result r = tracker.update(frame.detections());
            frame.setDetections(r.detections());
            frame.setTrackIds(r.trackIds());
        }
        out.accept(frame);
    }
}
