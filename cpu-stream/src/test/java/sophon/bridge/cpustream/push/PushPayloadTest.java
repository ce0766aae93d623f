package sophon.bridge.cpustream.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.FaceObjectMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.frame.ObjectMetadataWriter;

class PushPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] json(Frame f, String jpegBase64) {
        return ObjectMetadataWriter.write(PushPayload.of(f, Base64Image.of(jpegBase64)));
    }

    @Test
    void writesTheContractShapeAndLeavesEmptyListsOut() throws Exception {
        Frame f = new Frame(2, 2066, 1702547203099557L, 1920, 1080, false, false, 25.0, 0, null);
        f.setDetections(List.of(new Detection(306, 693, 106, 42, 0, 0.53f, "person")));
        f.setTrackIds(List.of(7));
        JsonNode j = JSON.readTree(json(f, "AAAA"));
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
        f.setFaces(List.of(new FaceObjectMetadata(10, 110, 20, 100, List.of(), List.of(), 0.8)));
        JsonNode face = JSON.readTree(json(f, "")).get("mFaceObjectMetadata").get(0);
        assertEquals(10, face.get("top").asInt());
        assertEquals(110, face.get("bottom").asInt());
        assertEquals(20, face.get("left").asInt());
        assertEquals(100, face.get("right").asInt());
        assertEquals(0, face.get("points_x").size());
        assertEquals(0.8, face.get("score").asDouble(), 1e-6);
        assertFalse(JSON.readTree(json(f, "")).has("mDetectedObjectMetadatas"));
    }

    @Test
    void businessLogicReadsBackWhatCpuStreamPostsFacesIncluded() throws Exception {
        Frame f = new Frame(1, 42, 1702547203099557L, 720, 528, false, false, 25.0, 0, null);
        f.setDetections(List.of(new Detection(30, 40, 100, 200, 0, 0.7f, "person")));
        f.setTrackIds(List.of(3));
        FaceObjectMetadata face =
                new FaceObjectMetadata(10, 110, 20, 100, List.of(40.5, 80.5), List.of(50.0, 51.0), 0.8);
        f.setFaces(List.of(face));
        ObjectMetadata posted = PushPayload.of(f, Base64Image.of("/9j/AAAA"));
        byte[] body = ObjectMetadataWriter.write(posted);
        ObjectMetadata read = new ObjectMetadataReader().read(body, body.length);
        assertEquals(posted, read);
        FrameResult frame = FrameResult.of(read, 0);
        assertEquals(0.7, frame.objects().get(0).score(), "a float score arrives as the decimal it prints as");
        assertEquals(3, frame.objects().get(0).trackId());
        assertEquals(List.of(face), frame.faces());
    }
}
