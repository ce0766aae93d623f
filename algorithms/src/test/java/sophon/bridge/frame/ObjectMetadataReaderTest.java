package sophon.bridge.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.alarm.AlarmMapper;

class ObjectMetadataReaderTest {
    private final ObjectMetadataReader reader = new ObjectMetadataReader();

    /** What business logic does with a post: read it, then view it as a frame. */
    private FrameResult parse(String json) throws BadFrameException {
        return FrameResult.of(reader.read(json), 0);
    }

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
             "mFaceObjectMetadata": [{"top": 100, "bottom": 180, "left": 50, "right": 120,
                                      "points_x": [70.5, 100.5, 85, 72, 98], "points_y": [130, 131, 150, 165, 166],
                                      "score": 0.97}],
             "mFps": 25.0, "mGraphId": 3, "mSubId": 1}
            """;

    @Test
    void parsesTheContractShapeAndKeepsTheImageTextAsReceived() throws Exception {
        FrameResult f = parse(FULL);
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
        FrameResult f = parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"\\/9j\\/AB\"}}");
        assertEquals("/9j/AB", f.image().toString());
        assertTrue(f.image().looksLikeJpeg());
        assertTrue(parse("{\"mFrame\":{\"mWidth\":1,\"mHeight\":1,\"mSpData\":\"\\u002F9j\\/AB\"}}")
                .image()
                .looksLikeJpeg());
        assertFalse(parse("{\"mFrame\":{\"mWidth\":1,\"mHeight\":1,\"mSpData\":\"\\/9k\\/AB\"}}")
                .image()
                .looksLikeJpeg());
        assertFalse(parse("{\"mFrame\":{\"mWidth\":1,\"mHeight\":1,\"mSpData\":\"\\/9\\nj/AB\"}}")
                .image()
                .looksLikeJpeg());
    }

    @Test
    void escapesTheCutTextKeepsAreResolvedWhenTheImageIsRead() throws Exception {
        byte[] jpeg = AlarmMapper.blankJpeg(32, 16);
        String b64 = Base64.getMimeEncoder(8, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(jpeg);
        // As a JSON writer may send it: slashes and the wrapped lines escaped.
        String escaped = b64.replace("/", "\\/").replace("\n", "\\n").replace("A", "\\u0041");
        FrameResult f = parse("{\"mFrame\":{\"mWidth\":32,\"mHeight\":16,\"mSpData\":\"" + escaped + "\"},\"mFps\":5}");
        assertEquals(5, f.metadata().fps(), "the fields after the image are read");
        assertTrue(f.image().looksLikeJpeg());
        assertArrayEquals(jpeg, f.image().decode());
        assertEquals(b64, f.image().toString());
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            f.image().writeJsonString(g);
        }
        assertEquals(b64, new ObjectMapper().readValue(out.toString(), String.class), "written as valid JSON");
        FrameResult plain =
                parse("{\"mFrame\":{\"mWidth\":32,\"mHeight\":16,\"mSpData\":\"" + b64.replace("\n", "\\n") + "\"}}");
        assertEquals(plain.image(), f.image(), "equal to the same text sent with only the line breaks escaped");
    }

    /**
     * A kept frame's image (its own copy, as an alarm holds it) reads and writes the same as the
     * cut text did, with or without escapes in it, after the request buffer is reused.
     */
    @Test
    void aKeptImageReadsAndWritesAsTheCutTextDid() throws Exception {
        byte[] jpeg = AlarmMapper.blankJpeg(32, 16);
        String b64 = Base64.getEncoder().encodeToString(jpeg);
        for (String sent : List.of(b64, b64.replace("/", "\\/"))) {
            byte[] body = ("{\"mFrame\":{\"mWidth\":32,\"mHeight\":16,\"mSpData\":\"" + sent + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            FrameResult own = FrameResult.of(reader.read(body, body.length), 0).withOwnImage();
            java.util.Arrays.fill(body, (byte) '"');
            assertTrue(own.image().looksLikeJpeg(), sent);
            assertArrayEquals(jpeg, own.image().decode(), sent);
            assertEquals(b64, own.image().toString(), sent);
            // a byte generator, as the alarm JSON's: raw UTF-8 is what plain base64 is written as
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                own.image().writeJsonString(g);
            }
            assertEquals(b64, new ObjectMapper().readValue(out.toByteArray(), String.class), sent);
            assertEquals(own.image().copy(), own.image(), sent);
        }
    }

    @Test
    void anImageWithAnEscapeJsonDoesNotAllowIsNoJpeg() throws Exception {
        FrameResult f = parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"\\/9j\\qAB\"}}");
        assertFalse(f.image().looksLikeJpeg());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> f.image().decode());
        assertTrue(e.getMessage().contains("escape"), e.getMessage());
        FrameResult g = parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"/9j/\\u00e9AB\"}}");
        assertThrows(IllegalArgumentException.class, () -> g.image().decode(), "not ASCII: not base64");
    }

    @Test
    void imagesAreCutOutWhateverTheSpacingAndEscapedOnesStillParse() throws Exception {
        FrameResult spaced = parse("{ \"mSubObjectMetadatas\" : [ {\"mFrame\": {\"mSpData\" :\n \"/9j\\/crop\"},"
                + " \"mRecognizedObjectMetadatas\": [{\"mLabelName\": \"P1\"}]} ],"
                + " \"mFrame\" : { \"mWidth\" : 10 , \"mHeight\":10, \"mSpData\"\t:\t\"/9j/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=\" },"
                + " \"mDetectedObjectMetadatas\": [{\"mBox\": {\"mX\":1,\"mY\":1,\"mWidth\":2,\"mHeight\":2}}],"
                + " \"mLabel\": \"has \\\"mSpData\\\": inside\" }");
        assertEquals(
                "/9j/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=", spaced.image().toString());
        assertEquals("P1", spaced.objects().get(0).plateText());
        FrameResult copy = parse(FULL);
        assertEquals("/9j/4AAQSkZJRg==", copy.withOwnImage().image().toString());
    }

    @Test
    void aLongImageIsFoundExactly() throws Exception {
        StringBuilder b64 = new StringBuilder("/9j/");
        for (int i = 0; i < 100_003; i++) {
            b64.append((char) ('A' + i % 26));
        }
        FrameResult f = parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"" + b64 + "\"},\"mFps\":1}");
        assertEquals(b64.toString(), f.image().toString());
    }

    @Test
    void absentListsMeanNoObjects() throws Exception {
        FrameResult f = parse("{\"mFrame\":{\"mFrameId\":1,\"mWidth\":10,\"mHeight\":10,\"mSpData\":\"/9j/\"}}");
        assertTrue(f.objects().isEmpty());
        assertFalse(f.hasDetections());
    }

    @Test
    void badPostsAreRejectedWithAReason() {
        assertEquals(
                "post lacks mFrame",
                assertThrows(BadFrameException.class, () -> parse("{\"mFps\":1}"))
                        .getMessage());
        assertTrue(assertThrows(BadFrameException.class, () -> parse("not json"))
                .getMessage()
                .startsWith("body is not valid JSON"));
        assertThrows(BadFrameException.class, () -> parse("[1,2]"));
        assertThrows(BadFrameException.class, () -> parse("{\"mFrame\":{\"mWidth\":0,\"mHeight\":10}}"));
        assertThrows(BadFrameException.class, () -> parse("{\"mFrame\":{\"mWidth\":\"x\",\"mHeight\":10}}"));
        assertThrows(BadFrameException.class, () -> parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10,\"mSpData\":5}}"));
        assertThrows(
                BadFrameException.class,
                () -> parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10}," + "\"mDetectedObjectMetadatas\":{}}"));
        assertThrows(BadFrameException.class, () -> parse("{\"mFrame\":{\"mWidth\":10,\"mHeight\":10}"));
    }

    @Test
    void readsEveryFieldOfTheContractFacesAndSubObjectsIncluded() throws Exception {
        ObjectMetadata m = reader.read(FULL);
        assertEquals(25.0, m.fps());
        assertEquals(3, m.graphId());
        assertEquals(1, m.subId());
        assertEquals(
                new DetectedObjectMetadata(new Box(1900, 1000, 100, 100), 2, List.of(0.9, 0.1), "car"),
                m.detected().get(1),
                "boxes as posted, every score");
        assertEquals(new TrackedObjectMetadata(10), m.tracked().get(3));
        assertEquals(List.of(new RecognizedObjectMetadata("scene", List.of(), List.of())), m.recognized());
        assertEquals(
                new FaceObjectMetadata(
                        100,
                        180,
                        50,
                        120,
                        List.of(70.5, 100.5, 85.0, 72.0, 98.0),
                        List.of(130.0, 131.0, 150.0, 165.0, 166.0),
                        0.97),
                m.faces().get(0));
        ObjectMetadata crop = m.subObjects().get(0);
        assertEquals("/9j/crop", crop.frame().image().toString(), "the crop is cut out and kept too");
        assertEquals("皖AD10005", crop.recognized().get(0).labelName());
        assertEquals(new Box(50, 100, 70, 80), parse(FULL).faces().get(0).box());
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBackTheSame() throws Exception {
        FrameMetadata frame = new FrameMetadata(4, 77, 1702547203099557L, 1280, 720, false, Base64Image.of("/9j/4AAQ"));
        FrameMetadata cropFrame = new FrameMetadata(4, 77, 1702547203099557L, 120, 40, false, Base64Image.of("/9j/pl"));
        ObjectMetadata plate = new ObjectMetadata(
                cropFrame,
                List.of(),
                List.of(),
                List.of(new RecognizedObjectMetadata("京A12345", List.of(0.93, 0.07), List.of(0, 1))),
                List.of(),
                List.of(),
                List.of(),
                0,
                0,
                0);
        ObjectMetadata written = new ObjectMetadata(
                frame,
                List.of(
                        new DetectedObjectMetadata(new Box(10, 20, 120, 40), 0, List.of(0.8), "plate"),
                        new DetectedObjectMetadata(new Box(300, 20, 50, 100), 2, List.of(), null)),
                List.of(new TrackedObjectMetadata(7), new TrackedObjectMetadata(-1)),
                List.of(new RecognizedObjectMetadata(null, List.of(0.5), List.of())),
                List.of(new Pose(List.of(new Keypoint(1.5, 2.5, 0.9), new Keypoint(3, 4, 0)))),
                List.of(new FaceObjectMetadata(
                        100, 180, 50, 120, List.of(70.25, 100.0), List.of(130.0, 131.5), 0.800000011920929)),
                List.of(plate, ObjectMetadata.of(null)),
                25.0,
                2,
                0);
        byte[] json = ObjectMetadataWriter.write(written);
        assertEquals(written, reader.read(json, json.length));
        FrameResult f = FrameResult.of(reader.read(json, json.length), 0);
        assertEquals("京A12345", f.objects().get(0).plateText());
        assertEquals(1, f.faces().size());
    }

    @Test
    void keptFramesOwnTheirImagesCropsIncluded() throws Exception {
        byte[] body = FULL.getBytes(StandardCharsets.UTF_8);
        FrameResult own = FrameResult.of(reader.read(body, body.length), 0).withOwnImage();
        java.util.Arrays.fill(body, (byte) 'x');
        assertEquals("/9j/4AAQSkZJRg==", own.image().toString());
        assertEquals(
                "/9j/crop", own.metadata().subObjects().get(0).frame().image().toString());
    }
}
