package sophon.bridge.cpustream.element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.config.ConfigException;
import sophon.bridge.cpustream.config.ElementSpec;
import sophon.bridge.cpustream.config.GraphSpec;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.streamconfig.ElementFamily;
import sophon.bridge.streamconfig.StreamElements;

/**
 * cpu-stream makes elements by the element registry (stream-elements.json), so a name listed there
 * runs on the CPU with its family's implementation and threshold key, and a TPU-only name is refused.
 */
class ElementFactoryTest {
    private static final StreamElements ELEMENTS = StreamElements.shipped();
    private final ElementFactory factory = new ElementFactory(Path.of("."), ErrorReporter.NONE, Clock.systemUTC());

    /** decode → the element. */
    private static GraphSpec graph(String name, JsonNode configure) {
        ElementSpec decode =
                new ElementSpec(1, "decode", JsonMapper.builder().build().createObjectNode(), "d.json", true, false, 1);
        ElementSpec element = new ElementSpec(2, name, configure, "e.json", false, true, 1);
        return new GraphSpec(0, "g", Map.of(1, decode, 2, element), Map.of(1, List.of(2)), 1);
    }

    private static JsonNode threshold(ElementFamily family, double value) {
        return JsonMapper.builder()
                .build()
                .createObjectNode()
                .put(family.thresholdKeys().get(0), value);
    }

    private static List<String> names(String cpu) {
        return ELEMENTS.names().stream()
                .filter(n -> cpu.equals(ELEMENTS.family(n).orElseThrow().cpu()))
                .toList();
    }

    @Test
    void everyDetectorOfTheRegistryRunsOnTheCpuWithItsFamilysThresholdKey() throws ConfigException {
        List<String> detectors = names("detector");
        assertTrue(detectors.containsAll(List.of("yolov5_group", "yolov8_group", "yolox_group")), detectors.toString());
        for (String name : detectors) {
            ElementFamily family = ELEMENTS.family(name).orElseThrow();
            assertTrue(ElementFactory.supported(name), name);
            try (ChannelGraph built = factory.build(graph(name, threshold(family, 0.4)), 0)) {
                assertFalse(built.isEmpty(), name);
            }
            ConfigException outOfRange =
                    assertThrows(ConfigException.class, () -> factory.build(graph(name, threshold(family, 1.5)), 0));
            assertTrue(outOfRange.getMessage().contains(family.thresholdKeys().get(0)), outOfRange.getMessage());
        }
    }

    @Test
    void faceDetectorsReadTheirOwnThresholdKey() {
        for (String name : names("face_detector")) {
            ElementFamily family = ELEMENTS.family(name).orElseThrow();
            assertEquals(List.of("score_threshold"), family.thresholdKeys());
            ConfigException outOfRange =
                    assertThrows(ConfigException.class, () -> factory.build(graph(name, threshold(family, 1.5)), 0));
            assertTrue(outOfRange.getMessage().contains("score_threshold"), outOfRange.getMessage());
        }
    }

    @Test
    void tpuOnlyAndUnknownElementsAreRefusedByName() {
        List<String> tpuOnly = ELEMENTS.names().stream()
                .filter(n -> ELEMENTS.family(n).orElseThrow().tpuOnly())
                .toList();
        assertTrue(tpuOnly.containsAll(List.of("lprnet_group", "openpose_group")), tpuOnly.toString());
        for (String name : tpuOnly) {
            assertEquals(
                    List.of(name + " (element 2, e.json)"),
                    ElementFactory.unsupported(
                            List.of(graph(name, JsonMapper.builder().build().createObjectNode()))));
        }
        assertFalse(ElementFactory.supported("no_such_element"));
    }
}
