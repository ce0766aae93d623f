package sophon.bridge.cpustream.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Face;
import sophon.bridge.cpustream.frame.Frame;

/**
 * Writes a frame as sophon-stream's ObjectMetadata JSON, with the contract's field names;
 * a list key is left out when its list is empty, as http_push does.
 */
public final class ObjectMetadataJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectMetadataJson() {}

    public static byte[] toJson(Frame f, String jpegBase64) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode frame = root.putObject("mFrame");
        frame.put("mChannelId", f.channelId());
        frame.put("mFrameId", f.frameId());
        frame.put("mTimestamp", f.timestampMicros());
        frame.put("mWidth", f.width());
        frame.put("mHeight", f.height());
        frame.put("mEndOfStream", f.endOfStream());
        frame.put("mSpData", jpegBase64);
        List<Detection> dets = f.detections();
        if (!dets.isEmpty()) {
            ArrayNode arr = root.putArray("mDetectedObjectMetadatas");
            for (Detection d : dets) {
                ObjectNode o = arr.addObject();
                ObjectNode box = o.putObject("mBox");
                box.put("mX", d.x());
                box.put("mY", d.y());
                box.put("mWidth", d.width());
                box.put("mHeight", d.height());
                o.put("mClassify", d.classId());
                o.putArray("mScores").add(d.score());
                o.put("mLabelName", d.label());
            }
        }
        if (!f.trackIds().isEmpty()) {
            ArrayNode arr = root.putArray("mTrackedObjectMetadatas");
            for (int id : f.trackIds()) {
                arr.addObject().put("mTrackId", id);
            }
        }
        if (!f.faces().isEmpty()) {
            ArrayNode arr = root.putArray("mFaceObjectMetadata");
            for (Face face : f.faces()) {
                ObjectNode o = arr.addObject();
                o.put("top", face.top());
                o.put("bottom", face.bottom());
                o.put("left", face.left());
                o.put("right", face.right());
                ArrayNode px = o.putArray("points_x");
                face.pointsX().forEach(px::add);
                ArrayNode py = o.putArray("points_y");
                face.pointsY().forEach(py::add);
                o.put("score", face.score());
            }
        }
        root.put("mFps", f.fps());
        root.put("mGraphId", f.graphId());
        root.put("mSubId", 0);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write ObjectMetadata JSON", e);
        }
    }
}
