package sophon.bridge.alert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;

/**
 * An object of a frame that raises an alarm: its box in scene pixels (x, y, w, h) and what the
 * algorithm knows about it, which goes into the event's {@code Extend}.
 */
public record AlarmingObject(Box box, Map<String, Object> extend) {
    public AlarmingObject {
        extend = Collections.unmodifiableMap(new LinkedHashMap<>(extend));
    }

    /** The standard Extend of a detection: track id (when tracked), class id and name, score. */
    public static AlarmingObject of(DetectedObject o) {
        Map<String, Object> extend = new LinkedHashMap<>();
        if (o.tracked()) {
            extend.put("TrackId", o.trackId());
        }
        extend.put("ClassId", o.classId());
        if (o.label() != null) {
            extend.put("ClassName", o.label());
        }
        extend.put("Score", Math.round(o.score() * 1000) / 1000.0);
        return new AlarmingObject(o.box(), extend);
    }

    /** A copy with one more Extend entry. */
    public AlarmingObject with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extend);
        more.put(key, value);
        return new AlarmingObject(box, more);
    }
}
