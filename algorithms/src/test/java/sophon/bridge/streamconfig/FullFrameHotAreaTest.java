package sophon.bridge.streamconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.streamconfig.Fixtures.GRAPHS;
import static sophon.bridge.streamconfig.Fixtures.VTEST;
import static sophon.bridge.streamconfig.Fixtures.cpuRoot;
import static sophon.bridge.streamconfig.Fixtures.request;
import static sophon.bridge.streamconfig.Fixtures.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.ClassInAreaAlerts;
import sophon.bridge.alert.HotAreas;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.streamconfig.Fixtures.Generated;
import sophon.bridge.task.AlgorithmSpec;

/**
 * The HotArea rule as a 4K source sees it, through both places that apply it: the stream's filter
 * (written by the config builder) and business logic's {@link HotAreas}. What the filter lets
 * through, business logic must not drop for being outside the same area, and the other way round.
 */
class FullFrameHotAreaTest {
    private static final int W4K = 3840;
    private static final int H4K = 2160;

    private final ConfigSetBuilder builder = new ConfigSetBuilder(GRAPHS, AlgorithmRegistry.load());

    @TempDir
    Path tmp;

    private static String algorithm(String hotArea) {
        return """
                {"Type": 3, "TrackInterval": 2, "DetectInterval": 1, "AlarmInterval": 100, "threshold": 50,
                 "DetectInfos": [{"HotArea": %s}]}
                """.formatted(hotArea);
    }

    private JsonNode filterAreas(String algorithm) throws Exception {
        Generated g =
                Generated.read(builder.build(request(task(VTEST.toString(), algorithm), tmp.resolve("a"), cpuRoot())));
        return g.filterRule().get("areas");
    }

    private static AlgorithmSpec spec(String algorithm) throws Exception {
        return Fixtures.JSON.readValue(algorithm, AlgorithmSpec.class);
    }

    /** A person whose box centre is at (cx, cy) on a 4K frame, in frames 0..4. */
    private static List<AlarmingObject> alarmsFor(AlgorithmSpec spec, int cx, int cy) {
        ClassInAreaAlerts logic = new ClassInAreaAlerts(spec, List.of(0));
        List<AlarmingObject> alarms = new ArrayList<>();
        for (long id = 0; id < 5; id++) {
            DetectedObject person =
                    new DetectedObject(0, new Box(cx - 50, cy - 100, 100, 200), 0, 0.9, "person", 7, null);
            FrameMetadata frame = new FrameMetadata(0, id, id * 40_000, W4K, H4K, false, Base64Image.of("/9j/AA=="));
            alarms.addAll(
                    logic.onFrame(new FrameResult(ObjectMetadata.of(frame), List.of(person), 0, System.nanoTime())));
        }
        return alarms;
    }

    @Test
    void theCanvasRectangleMeansTheWholeFrameOfA4kSourceInTheFilterAndInBusinessLogic() throws Exception {
        String canvas =
                algorithm("[{\"X\":0,\"Y\":0},{\"X\":1920,\"Y\":0},{\"X\":1920,\"Y\":1080},{\"X\":0,\"Y\":1080}]");
        assertEquals(Fixtures.JSON.readTree("[[]]"), filterAreas(canvas), "the filter lets every object through");
        HotAreas areas = new HotAreas(spec(canvas));
        assertTrue(areas.unrestricted());
        assertTrue(areas.contains(3000, 1800), "bottom-right of a 4K frame, outside the top-left 1920x1080");
        assertFalse(alarmsFor(spec(canvas), 3000, 1800).isEmpty(), "an object the filter passed alarms");
    }

    @Test
    void aDrawnAreaRestrictsBothPlacesAlikeOnA4kFrame() throws Exception {
        // the top-left quarter but not the canvas: a real restriction in both places
        String drawn =
                algorithm("[{\"X\":0,\"Y\":0},{\"X\":1900,\"Y\":0},{\"X\":1900,\"Y\":1000},{\"X\":0,\"Y\":1000}]");
        assertEquals(Fixtures.JSON.readTree("""
                [[{"left":0,"top":0},{"left":1900,"top":0},{"left":1900,"top":1000},{"left":0,"top":1000}]]"""), filterAreas(drawn));
        HotAreas areas = new HotAreas(spec(drawn));
        assertFalse(areas.unrestricted());
        assertTrue(alarmsFor(spec(drawn), 3000, 1800).isEmpty(), "outside the drawn area: no alarm");
        assertFalse(alarmsFor(spec(drawn), 500, 500).isEmpty(), "inside the drawn area: alarms");
    }

    @Test
    void aRectangleBeyondTheCanvasAndAllZeroPointsAlsoMeanNoRestriction() throws Exception {
        for (String area : List.of(
                "[{\"X\":0,\"Y\":0},{\"X\":3840,\"Y\":0},{\"X\":3840,\"Y\":2160},{\"X\":0,\"Y\":2160}]",
                "[{\"X\":0,\"Y\":0},{\"X\":0,\"Y\":0},{\"X\":0,\"Y\":0}]")) {
            String algorithm = algorithm(area);
            assertEquals(Fixtures.JSON.readTree("[[]]"), filterAreas(algorithm), area);
            assertTrue(new HotAreas(spec(algorithm)).unrestricted(), area);
        }
    }
}
