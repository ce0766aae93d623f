package sophon.bridge.alarm;

import java.util.List;
import sophon.bridge.frame.Base64Image;

/**
 * One application-web alarm ({@code ../shared/spec/application-web.md}, "Alarm reports").
 * Construction refuses what application-web would reject: no TaskID, no scene image, no events.
 *
 * @param sceneImage the frame's base64 JPEG exactly as http_push sent it
 * @param sceneJpeg that JPEG decoded, when whoever built the alarm decoded it anyway (for the
 *     crops), so that what keeps the alarm's files does not decode 250 KB of base64 a second time;
 *     null when not at hand. Never serialised; the alarm is dropped once sent and kept.
 */
public record Alarm(
        String taskId,
        String srcId,
        long frameIndex,
        Base64Image sceneImage,
        List<AnalyzeEvent> events,
        byte[] sceneJpeg) {
    public Alarm(String taskId, String srcId, long frameIndex, Base64Image sceneImage, List<AnalyzeEvent> events) {
        this(taskId, srcId, frameIndex, sceneImage, events, null);
    }

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

    /** The scene as JPEG bytes: the decoded copy when there is one, else decoded now. */
    public byte[] sceneJpegBytes() {
        return sceneJpeg != null ? sceneJpeg : sceneImage.decode();
    }
}
