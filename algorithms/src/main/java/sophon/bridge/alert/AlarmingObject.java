package sophon.bridge.alert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FaceObjectMetadata;

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

    /**
     * The standard Extend of a face ({@code mFaceObjectMetadata}): class name "face", score and,
     * when the detector gives them, the landmarks as [x, y, …]; box is the face's box as the
     * caller clamped it to the frame.
     */
    public static AlarmingObject of(FaceObjectMetadata face, Box box) {
        Map<String, Object> extend = new LinkedHashMap<>();
        extend.put("ClassName", "face");
        extend.put("Score", Math.round(face.score() * 1000) / 1000.0);
        int n = Math.min(face.pointsX().size(), face.pointsY().size());
        if (n > 0) {
            double[] landmarks = new double[n * 2];
            for (int i = 0; i < n; i++) {
                landmarks[2 * i] = face.pointsX().get(i);
                landmarks[2 * i + 1] = face.pointsY().get(i);
            }
            extend.put("Landmarks", landmarks);
        }
        return new AlarmingObject(box, extend);
    }

    /** A copy with one more Extend entry. */
    public AlarmingObject with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extend);
        more.put(key, value);
        return new AlarmingObject(box, more);
    }
}
