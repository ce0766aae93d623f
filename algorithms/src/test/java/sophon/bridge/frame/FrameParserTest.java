package sophon.bridge.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameParserTest {
    private final FrameParser parser = new FrameParser();

    private static final String FULL = """
            {"mFrame": {"mChannelId": 2, "mFrameId": 2066, "mTimestamp": 1702547203099557,
                        "mWidth": 1920, "mHeight": 1080, "mEndOfStream": false, "mSpData": "/9j/4AAQSkZJRg=="},
             "mDetectedObjectMetadatas": [
                {"mBox": {"mX":306,"mY":693,"mWidth":106,"mHeight":42}, "mClassify": 0, "mScores": [0.53], "mLabelName": "plate"},
                {"mBox": {"mX":1900,"mY":1000,"mWidth":100,"mHeight":100}, "mClassify": 2, "mScores": [0.9, 0.1], "mLabelName": "car"},
                {"mBox": {"mX":10,"mY":10,"mWidth":-5,"mHeight":20}, "mClassify": 0, "mScores": [0.9]},
                {"mBox": {"mX":3000,"mY":10,"mWidth":5,"mHeight":20}, "mClassify": 0, "mScores": [0.9]}],
             "mTrackedObjectMetadatas": [{"mTrackId": 7}, {"mTrackId": 8}, {"mTrackId": 9}, {"mTrackId": 10}],
             "mRecognizedObjectMetadatas": [{"mLabelName": "scene", "mScores": [], "mTopKLabels": []}],
             "mSubObjectMetadatas": [
                {"mFrame": {"mSpData": "/9j/crop"}, "mRecognizedObjectMetadatas": [{"mLabelName": "皖AD10005"}]},
                {"mFrame": {"mSpData": "/9j/crop"}, "mRecognizedObjectMetadatas": []}],
             "mPosedObjectMetadatas": [{"keypoints": [1, 2, 0.5, 3, 4, 0.6]}],
             "mFps": 0.0, "mGraphId": 0, "mSubId": 0}
            """;

    @Test
    void parsesTheContractShapeAndKeepsTheImageTextAsReceived() throws Exception {
        FrameResult f = parser.parse(FULL);
        assertEquals(2, f.channelId());
        assertEquals(2066, f.frameId());
        assertEquals(1702547203099557L, f.timestamp());
        assertEquals(1920, f.width());
        assertEquals(1080, f.height());
        assertFalse(f.endOfStream());
        assertEquals("/9j/4AAQSkZJRg==", f.image().toString());
        assertTrue(f.image().looksLikeJpeg());
        assertEquals(2, f.objects().size());
        assertEquals(2, f.rejectedBoxes(), "negative and outside boxes are left out");
        DetectedObject plate = f.objects().get(0);
        assertEquals(new Box(306, 693, 106, 42), plate.box());
        assertEquals(0.53, plate.score(), 1e-9);
        assertEquals(7, plate.trackId());
        assertEquals("皖AD10005", plate.plateText());
        DetectedObject car = f.objects().get(1);
        assertEquals(new Box(1900, 1000, 20, 80), car.box(), "clamped to the frame");
        assertEquals(8, car.trackId());
        assertNull(car.plateText());
        assertEquals("car", car.label());
        assertEquals(1, f.poses().size());
        assertEquals(new Keypoint(3, 4, 0.6), f.poses().get(0).keypoints().get(1));
    }

    @Test
    void escapedSlashesInTheImageAreUnescaped() throws Exception {
        FrameResult f = parser.parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"\\/9j\\/AB\"}}");
        assertEquals("/9j/AB", f.image().toString());
    }

    @Test
    void imagesAreCutOutWhateverTheSpacingAndEscapedOnesStillParse() throws Exception {
        FrameResult spaced = parser.parse("{ \"mSubObjectMetadatas\" : [ {\"mFrame\": {\"mSpData\" :\n \"/9j\\/crop\"},"
                + " \"mRecognizedObjectMetadatas\": [{\"mLabelName\": \"P1\"}]} ],"
                + " \"mFrame\" : { \"mWidth\" : 10 , \"mHeight\":10, \"mSpData\"\t:\t\"/9j/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=\" },"
                + " \"mDetectedObjectMetadatas\": [{\"mBox\": {\"mX\":1,\"mY\":1,\"mWidth\":2,\"mHeight\":2}}],"
                + " \"mLabel\": \"has \\\"mSpData\\\": inside\" }");
        assertEquals(
                "/9j/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=", spaced.image().toString());
        assertEquals("P1", spaced.objects().get(0).plateText());
        FrameResult copy = parser.parse(FULL);
        assertEquals("/9j/4AAQSkZJRg==", copy.withOwnImage().image().toString());
    }

    @Test
    void aLongImageIsFoundExactly() throws Exception {
        StringBuilder b64 = new StringBuilder("/9j/");
        for (int i = 0; i < 100_003; i++) {
            b64.append((char) ('A' + i % 26));
        }
        FrameResult f =
                parser.parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"" + b64 + "\"},\"mFps\":1}");
        assertEquals(b64.toString(), f.image().toString());
    }

    @Test
    void absentListsMeanNoObjects() throws Exception {
        FrameResult f = parser.parse("{\"mFrame\":{\"mFrameId\":1,\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"/9j/\"}}");
        assertTrue(f.objects().isEmpty());
        assertFalse(f.hasDetections());
    }

    @Test
    void badPostsAreRejectedWithAReason() {
        assertEquals(
                "post lacks mFrame",
                assertThrows(BadFrameException.class, () -> parser.parse("{\"mFps\":1}"))
                        .getMessage());
        assertTrue(assertThrows(BadFrameException.class, () -> parser.parse("not json"))
                .getMessage()
                .startsWith("body is not valid JSON"));
        assertThrows(BadFrameException.class, () -> parser.parse("[1,2]"));
        assertThrows(BadFrameException.class, () -> parser.parse("{\"mFrame\":{\"mWidth\":0,\"mHeight\":10}}"));
        assertThrows(BadFrameException.class, () -> parser.parse("{\"mFrame\":{\"mWidth\":\"x\",\"mHeight\":10}}"));
        assertThrows(
                BadFrameException.class,
                () -> parser.parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":5}}"));
        assertThrows(
                BadFrameException.class,
                () -> parser.parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10}," + "\"mDetectedObjectMetadatas\":{}}"));
        assertThrows(BadFrameException.class, () -> parser.parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10}"));
    }
}
