package sophon.bridge.alarm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes an alarm as application-web's JSON object, the scene image copied byte for byte. */
public final class AlarmJson {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private AlarmJson() {}

    public static byte[] toJson(Alarm alarm) {
        // Sized for the images up front: growing by doubling would copy ~1 MB per alarm.
        int size = alarm.sceneImage().length() + 1024;
        for (AnalyzeEvent e : alarm.events()) {
            size += e.imageBase64().length() + 4096; // room for Box and Extend (keypoints included)
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("TaskID", alarm.taskId());
            g.writeStringField("SrcID", alarm.srcId());
            g.writeNumberField("FrameIndex", alarm.frameIndex());
            g.writeFieldName("SceneImageBase64");
            alarm.sceneImage().writeJsonString(g);
            g.writeArrayFieldStart("AnalyzeEvents");
            for (AnalyzeEvent e : alarm.events()) {
                g.writeStartObject();
                g.writeNumberField("Type", e.type());
                g.writeStringField("ImageBase64", e.imageBase64());
                g.writeObjectFieldStart("Box");
                g.writeNumberField("LeftTopX", e.box().leftTopX());
                g.writeNumberField("LeftTopY", e.box().leftTopY());
                g.writeNumberField("RightBtmX", e.box().rightBtmX());
                g.writeNumberField("RightBtmY", e.box().rightBtmY());
                g.writeEndObject();
                g.writeFieldName("Extend");
                g.writeObject(e.extend());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
