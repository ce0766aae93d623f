package sophon.bridge.alarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.awt.image.BufferedImage;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;

class AlarmMapperTest {
    private static final AlarmContext CONTEXT = new AlarmContext("1001", "camera-entrance", 2);
    private static String scene;

    @BeforeAll
    static void image() throws Exception {
        scene = TestImages.base64Jpeg(768, 576);
    }

    private static FrameResult frame(String image) {
        return new FrameResult(
                ObjectMetadata.of(new FrameMetadata(0, 165, 0, 768, 576, false, Base64Image.of(image))),
                List.of(),
                0,
                0);
    }

    private static AlarmingObject object(int x, int y, int w, int h) {
        return new AlarmingObject(new Box(x, y, w, h), Map.of("TrackId", 7L, "VehicleLicense", "皖AD10005"));
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> out = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void alarmHasExactlyTheContractShape() throws Exception {
        Alarm alarm = AlarmMapper.map(CONTEXT, frame(scene), List.of(object(334, 238, 100, 50), object(0, 0, 40, 40)));
        JsonNode json = JsonMapper.builder().build().readTree(AlarmJson.toJson(alarm));
        assertEquals(Set.of("TaskID", "SrcID", "FrameIndex", "SceneImageBase64", "AnalyzeEvents"), keys(json));
        assertEquals("1001", json.get("TaskID").asText());
        assertEquals("camera-entrance", json.get("SrcID").asText());
        assertEquals(165, json.get("FrameIndex").asLong());
        assertEquals(scene, json.get("SceneImageBase64").asText(), "scene image is the frame's text as received");
        assertArrayEquals(
                java.util.Base64.getDecoder().decode(scene),
                alarm.sceneJpegBytes(),
                "the decode the crops needed comes with the alarm, for its files");
        assertNotNull(alarm.sceneJpeg());
        assertEquals(2, json.get("AnalyzeEvents").size());
        JsonNode event = json.get("AnalyzeEvents").get(0);
        assertEquals(Set.of("Type", "ImageBase64", "Box", "Extend"), keys(event));
        assertEquals(2, event.get("Type").asInt());
        assertEquals(Set.of("LeftTopX", "LeftTopY", "RightBtmX", "RightBtmY"), keys(event.get("Box")));
        assertEquals(334, event.get("Box").get("LeftTopX").asInt());
        assertEquals(238, event.get("Box").get("LeftTopY").asInt());
        assertEquals(434, event.get("Box").get("RightBtmX").asInt());
        assertEquals(288, event.get("Box").get("RightBtmY").asInt());
        assertEquals("皖AD10005", event.get("Extend").get("VehicleLicense").asText());
        assertEquals(7, event.get("Extend").get("TrackId").asInt());
        assertEquals(2, event.get("Extend").get("ObjectCount").asInt());
    }

    @Test
    void cropIsAJpegSquareWithMarginClampedToTheFrame() throws Exception {
        Alarm alarm = AlarmMapper.map(
                CONTEXT,
                frame(scene),
                List.of(
                        // the scene is a baseline 4:2:0 JPEG: each square's left and top edges move
                        // out to the 16-pixel block grid
                        object(334, 238, 100, 50), // middle: 140 x 140 at (314, 193) -> 150 x 141
                        object(0, 0, 40, 40), // corner: 56 x 56, shifted inside
                        object(700, 500, 200, 200), // partly outside: box clamped to 68 x 76, 106 x 106
                        // at (662, 470) -> 112 x 112
                        object(0, 0, 768, 576))); // whole frame: crop cut to the frame
        BufferedImage middle = TestImages.decode(alarm.events().get(0).imageBase64());
        assertEquals(150, middle.getWidth());
        assertEquals(141, middle.getHeight());
        BufferedImage corner = TestImages.decode(alarm.events().get(1).imageBase64());
        assertEquals(56, corner.getWidth());
        assertEquals(56, corner.getHeight());
        BufferedImage edge = TestImages.decode(alarm.events().get(2).imageBase64());
        assertEquals(112, edge.getWidth());
        assertEquals(112, edge.getHeight());
        assertEquals(new Corners(700, 500, 768, 576), alarm.events().get(2).box());
        BufferedImage whole = TestImages.decode(alarm.events().get(3).imageBase64());
        assertEquals(768, whole.getWidth());
        assertEquals(576, whole.getHeight());
    }

    @Test
    void cropShowsTheRightPartOfTheScene() throws Exception {
        BufferedImage full = TestImages.decode(scene);
        Alarm alarm = AlarmMapper.map(CONTEXT, frame(scene), List.of(object(400, 200, 50, 50)));
        BufferedImage crop = TestImages.decode(alarm.events().get(0).imageBase64());
        // square 70 x 70 at (390, 190), on the block grid from (384, 176): a pixel in the middle
        int expected = full.getRGB(425, 225);
        int actual = crop.getRGB(425 - 384, 225 - 176);
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xff;
            int a = (actual >> shift) & 0xff;
            assertTrue(Math.abs(e - a) < 24, "channel " + shift + ": " + e + " vs " + a);
        }
    }

    @Test
    void eachCropOfSeveralObjectsShowsItsOwnPartOfTheScene() throws Exception {
        // both crops come out of one pass over the scan: a wrong offset shows as wrong pixels
        BufferedImage full = TestImages.decode(scene);
        Alarm alarm =
                AlarmMapper.map(CONTEXT, frame(scene), List.of(object(100, 100, 50, 50), object(500, 300, 60, 60)));
        assertEquals(2, alarm.events().size());
        // event, scene centre x, y, crop origin x, y (the square's on the 16-pixel grid), width, height
        int[][] checks = {{0, 125, 125, 80, 80, 80, 80}, {1, 530, 330, 480, 288, 92, 84}};
        for (int[] c : checks) {
            BufferedImage crop = TestImages.decode(alarm.events().get(c[0]).imageBase64());
            assertEquals(c[5], crop.getWidth());
            assertEquals(c[6], crop.getHeight());
            for (int[] d : new int[][] {{0, 0}, {-20, -15}, {18, 20}}) {
                int expected = full.getRGB(c[1] + d[0], c[2] + d[1]);
                int actual = crop.getRGB(c[1] - c[3] + d[0], c[2] - c[4] + d[1]);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int e = (expected >> shift) & 0xff;
                    int a = (actual >> shift) & 0xff;
                    assertTrue(Math.abs(e - a) < 24, "event " + c[0] + " channel " + shift + ": " + e + " vs " + a);
                }
            }
        }
    }

    @Test
    void warmUpRunsTheWholeAlarmPath() throws Exception {
        // a scene image, two crops and the JSON around them: well over the bare JSON keys
        assertTrue(AlarmMapper.warmUp() > 1000);
    }

    @Test
    void base64WrappedInLinesStillMakesAValidAlarm() throws Exception {
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < scene.length(); i += 76) {
            wrapped.append(scene, i, Math.min(scene.length(), i + 76)).append("\r\n");
        }
        Alarm alarm = AlarmMapper.map(CONTEXT, frame(wrapped.toString()), List.of(object(334, 238, 100, 50)));
        JsonNode json = JsonMapper.builder().build().readTree(AlarmJson.toJson(alarm));
        assertEquals(wrapped.toString(), json.get("SceneImageBase64").asText());
        assertEquals(
                150, // the 140-pixel square from x 314, out to the block grid at 304
                TestImages.decode(json.get("AnalyzeEvents")
                                .get(0)
                                .get("ImageBase64")
                                .asText())
                        .getWidth());
    }

    @Test
    void badImagesMakeNoAlarm() {
        assertThrows(
                AlarmImageException.class,
                () -> AlarmMapper.map(CONTEXT, frame("/9j/not*base64!"), List.of(object(1, 1, 5, 5))));
        assertThrows(
                AlarmImageException.class,
                () -> AlarmMapper.map(CONTEXT, frame("iVBORw0KGgo="), List.of(object(1, 1, 5, 5))));
        assertThrows(
                AlarmImageException.class,
                () -> AlarmMapper.map(CONTEXT, frame("/9j/4AAQSkZJRgABAQ=="), List.of(object(1, 1, 5, 5))));
        assertThrows(AlarmImageException.class, () -> AlarmMapper.map(CONTEXT, frame(""), List.of(object(1, 1, 5, 5))));
        assertThrows(
                AlarmImageException.class,
                () -> AlarmMapper.map(CONTEXT, frame(scene), List.of(object(900, 900, 5, 5))));
        assertThrows(IllegalArgumentException.class, () -> AlarmMapper.map(CONTEXT, frame(scene), List.of()));
    }

    @Test
    void anAlarmCannotBeMadeWithoutEventsTaskOrScene() {
        AnalyzeEvent event = new AnalyzeEvent(1, "/9j/", new Corners(0, 0, 1, 1), Map.of());
        assertThrows(IllegalArgumentException.class, () -> new Alarm("1", "s", 1, Base64Image.of(scene), List.of()));
        assertThrows(
                IllegalArgumentException.class, () -> new Alarm("", "s", 1, Base64Image.of(scene), List.of(event)));
        assertThrows(IllegalArgumentException.class, () -> new Alarm("1", "s", 1, Base64Image.of(""), List.of(event)));
    }
}
