package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;

/**
 * license_area_intrusion (2) and license_plate_recognition (16): a plate text alarms once it has
 * been seen TrackInterval frames in a row inside the HotArea, and not again until it has been
 * absent for AlarmInterval frames. "In a row" tolerates the recogniser missing the plate for up
 * to two sampling steps. Counted in frame ids, per channel ({@link ChannelStates}).
 */
public final class PlateAlerts implements AlertLogic {
    private final ObjectFilter filter;
    private final HotAreas areas;
    private final int requiredFrames;
    private final int gap;
    private final int rearmAfter;
    private final ChannelStates<Channel> channels = new ChannelStates<>(Channel::new);

    private static final class Plate {
        long first;
        long last;
        boolean alarmed;

        Plate(long id) {
            first = id;
            last = id;
        }
    }

    private static final class Channel {
        final Map<String, Plate> plates = new HashMap<>();
    }

    public PlateAlerts(AlgorithmSpec spec) {
        this.filter = new ObjectFilter(spec, List.of());
        this.areas = new HotAreas(spec);
        this.requiredFrames = spec.trackIntervalOrDefault();
        this.gap = 2 * spec.detectIntervalOrDefault();
        this.rearmAfter = Math.max(gap + 1, spec.alarmIntervalOrDefault());
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        Channel ch = channels.of(frame);
        long id = frame.frameId();
        List<AlarmingObject> out = new ArrayList<>(2);
        for (DetectedObject o : frame.objects()) {
            String text = o.plateText() == null ? "" : o.plateText().strip();
            if (text.isEmpty() || !filter.scoreOk(o.score()) || !filter.sizeOk(o.box()) || !areas.contains(o.box())) {
                continue;
            }
            Plate p = ch.plates.get(text);
            if (p == null) {
                p = new Plate(id);
                ch.plates.put(text, p);
            } else if (p.last == id) {
                continue; // the same text twice in one frame: one event
            } else {
                long absent = id - p.last;
                if (p.alarmed && absent >= rearmAfter) {
                    p.alarmed = false;
                }
                if (absent > gap) {
                    p.first = id;
                }
            }
            p.last = id;
            if (!p.alarmed && id - p.first + 1 >= requiredFrames) {
                p.alarmed = true;
                out.add(AlarmingObject.of(o).with("VehicleLicense", text));
            }
        }
        // A plate absent long enough to re-arm is the same as one never seen: forget it.
        ch.plates.values().removeIf(p -> id - p.last >= rearmAfter);
        ChannelStates.bound(ch.plates, ChannelStates.MAX_KEYS);
        return out;
    }
}
