package sophon.bridge.cpustream.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Face;
import sophon.bridge.cpustream.frame.Frame;

class ObjectMetadataJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheContractShapeAndLeavesEmptyListsOut() throws Exception {
        Frame f = new Frame(2, 2066, 1702547203099557L, 1920, 1080, false, false, 25.0, 0, null);
        f.setDetections(List.of(new Detection(306, 693, 106, 42, 0, 0.53f, "person")));
        f.setTrackIds(List.of(7));
        JsonNode j = JSON.readTree(ObjectMetadataJson.toJson(f, "AAAA"));
        JsonNode frame = j.get("mFrame");
        assertEquals(2, frame.get("mChannelId").asInt());
        assertEquals(2066, frame.get("mFrameId").asLong());
        assertEquals(1702547203099557L, frame.get("mTimestamp").asLong());
        assertEquals(1920, frame.get("mWidth").asInt());
        assertEquals(1080, frame.get("mHeight").asInt());
        assertFalse(frame.get("mEndOfStream").asBoolean());
        assertEquals("AAAA", frame.get("mSpData").asText());
        JsonNode d = j.get("mDetectedObjectMetadatas").get(0);
        assertEquals(
                "{\"mX\":306,\"mY\":693,\"mWidth\":106,\"mHeight\":42}",
                d.get("mBox").toString());
        assertEquals(0, d.get("mClassify").asInt());
        assertEquals(0.53, d.get("mScores").get(0).asDouble(), 1e-6);
        assertEquals("person", d.get("mLabelName").asText());
        assertEquals(7, j.get("mTrackedObjectMetadatas").get(0).get("mTrackId").asInt());
        assertFalse(j.has("mFaceObjectMetadata"));
        assertFalse(j.has("mRecognizedObjectMetadatas"));
        assertEquals(25.0, j.get("mFps").asDouble());
        assertEquals(0, j.get("mGraphId").asInt());
        assertEquals(0, j.get("mSubId").asInt());
    }

    @Test
    void facesUseRetinafaceKeys() throws Exception {
        Frame f = new Frame(0, 1, 1, 720, 528, false, false, 0, 0, null);
        f.setFaces(List.of(new Face(10, 110, 20, 100, List.of(), List.of(), 0.8f)));
        JsonNode face = JSON.readTree(ObjectMetadataJson.toJson(f, ""))
                .get("mFaceObjectMetadata")
                .get(0);
        assertEquals(10, face.get("top").asInt());
        assertEquals(110, face.get("bottom").asInt());
        assertEquals(20, face.get("left").asInt());
        assertEquals(100, face.get("right").asInt());
        assertEquals(0, face.get("points_x").size());
        assertEquals(0.8, face.get("score").asDouble(), 1e-6);
        assertFalse(JSON.readTree(ObjectMetadataJson.toJson(f, "")).has("mDetectedObjectMetadatas"));
    }
}
