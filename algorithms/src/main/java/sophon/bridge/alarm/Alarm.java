package sophon.bridge.alarm;

import java.util.List;
import sophon.bridge.frame.Base64Image;

/**
 * One application-web alarm ({@code ../shared/spec/application-web.md}, "Alarm reports").
 * Construction refuses what application-web would reject: no TaskID, no scene image, no events.
 *
 * @param sceneImage the frame's base64 JPEG exactly as http_push sent it
 */
public record Alarm(String taskId, String srcId, long frameIndex, Base64Image sceneImage, List<AnalyzeEvent> events) {
    public Alarm {
        if (taskId == null || taskId.isEmpty()) {
            throw new IllegalArgumentException("an alarm needs its TaskID");
        }
        if (sceneImage == null || sceneImage.isEmpty()) {
            throw new IllegalArgumentException("an alarm needs its scene image");
        }
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("an alarm needs at least one AnalyzeEvent");
        }
        srcId = srcId == null ? "" : srcId;
        events = List.copyOf(events);
    }
}
