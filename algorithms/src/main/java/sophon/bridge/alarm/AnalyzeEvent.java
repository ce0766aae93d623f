package sophon.bridge.alarm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One entry of an alarm's {@code AnalyzeEvents}. imageBase64 is the object's JPEG crop. */
public record AnalyzeEvent(int type, String imageBase64, Corners box, Map<String, Object> extend) {
    public AnalyzeEvent {
        if (imageBase64 == null || imageBase64.isEmpty()) {
            throw new IllegalArgumentException("an event needs its crop image");
        }
        if (box == null) {
            throw new IllegalArgumentException("an event needs its box");
        }
        extend = Collections.unmodifiableMap(new LinkedHashMap<>(extend));
    }
}
