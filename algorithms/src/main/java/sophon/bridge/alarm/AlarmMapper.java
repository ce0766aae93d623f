package sophon.bridge.alarm;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FrameResult;

/**
 * The standard frame → alarm mapping: scene image as received, one event per alarming object
 * with its crop, its box as clamped corners and its Extend plus ObjectCount.
 */
public final class AlarmMapper {
    private AlarmMapper() {
    }

    public static Alarm map(AlarmContext context, FrameResult frame, List<AlarmingObject> objects)
            throws AlarmImageException {
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("no alarming objects");
        }
        if (!frame.image().looksLikeJpeg()) {
            throw new AlarmImageException(frame.image().isEmpty()
                    ? "the frame carries no image (mSpData)" : "mSpData is not a base64 JPEG");
        }
        byte[] jpeg;
        try {
            jpeg = frame.image().decode();
        } catch (IllegalArgumentException e) {
            throw new AlarmImageException("mSpData is not valid base64: " + e.getMessage(), e);
        }
        List<Box> boxes = objects.stream().map(AlarmingObject::box).toList();
        SceneCrops.Result crops = SceneCrops.crop(jpeg, boxes);
        Base64.Encoder base64 = Base64.getEncoder();
        List<AnalyzeEvent> events = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            Box inside = boxes.get(i).clampTo(crops.width(), crops.height());
            byte[] crop = crops.crops().get(i);
            if (inside == null || crop == null) {
                continue;
            }
            Map<String, Object> extend = new LinkedHashMap<>(objects.get(i).extend());
            extend.put("ObjectCount", objects.size());
            Corners corners = new Corners(inside.x(), inside.y(), inside.right(), inside.bottom());
            events.add(new AnalyzeEvent(context.type(), base64.encodeToString(crop), corners, extend));
        }
        if (events.isEmpty()) {
            throw new AlarmImageException("no alarming object lies inside the image");
        }
        return new Alarm(context.taskId(), context.srcId(), frame.frameId(), frame.image(), events);
    }
}
