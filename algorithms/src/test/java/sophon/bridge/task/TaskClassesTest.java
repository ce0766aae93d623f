package sophon.bridge.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sophon.bridge.alert.ObjectFilter;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;

/** Extend.Classes read once, for the config builder and for business logic's ObjectFilter alike. */
class TaskClassesTest {
    private static final List<String> CLASS_NAMES = List.of("person", "bicycle", "car", "motorbike");

    private static AlgorithmSpec spec(String extend) throws Exception {
        return new AlgorithmSpec(
                3,
                1,
                1,
                1,
                50.0,
                null,
                null,
                extend == null ? null : JsonMapper.builder().build().readTree(extend));
    }

    private static DetectedObject detection(int classId, String label) {
        return new DetectedObject(0, new Box(10, 10, 50, 50), classId, 0.9, label, 1, null);
    }

    @Test
    void absentOrNullClassesNameNone() throws Exception {
        assertEquals(Optional.empty(), TaskClasses.of(spec(null)));
        assertEquals(Optional.empty(), TaskClasses.of(spec("{}")));
        assertEquals(Optional.empty(), TaskClasses.of(spec("{\"Classes\": null}")));
    }

    @Test
    void malformedClassesAreRefusedInOneSentence() throws Exception {
        for (String bad : List.of("[]", "\"car\"", "[1.5]", "[-1]", "[10000]", "[\" \"]", "[true]", "[[0]]", "[{}]")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> TaskClasses.of(spec("{\"Classes\": " + bad + "}")), bad);
            assertTrue(
                    e.getMessage().startsWith("Extend.Classes")
                            && e.getMessage().endsWith("."),
                    e.getMessage());
        }
    }

    @Test
    void namesResolveThroughTheClassNamesInTheTasksOrderWithoutRepeatsIgnoringCase() throws Exception {
        TaskClasses classes = TaskClasses.of(spec("{\"Classes\": [\"Car\", 0, \" motorbike \", \"person\", 2]}"))
                .orElseThrow();
        assertEquals(List.of(2, 0, 3), classes.resolve(CLASS_NAMES, "yolov5"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TaskClasses.of(spec("{\"Classes\": [\"unicorn\"]}"))
                        .orElseThrow()
                        .resolve(CLASS_NAMES, "yolov5"));
        assertEquals("Extend.Classes names a class the yolov5 detector does not know.", e.getMessage());
    }

    @Test
    void theObjectFilterKeepsExactlyTheClassesTheFilterIsGivenWhenLabelsAreTheClassNames() throws Exception {
        AlgorithmSpec spec = spec("{\"Classes\": [\"CAR\", 3]}");
        List<Integer> inTheStreamFilter = TaskClasses.of(spec).orElseThrow().resolve(CLASS_NAMES, "yolov5");
        ObjectFilter filter = new ObjectFilter(spec, List.of(0));
        for (int id = 0; id < CLASS_NAMES.size(); id++) {
            assertEquals(
                    inTheStreamFilter.contains(id),
                    filter.accepts(detection(id, CLASS_NAMES.get(id))),
                    CLASS_NAMES.get(id));
        }
    }

    @Test
    void theObjectFilterRefusesWhatTheConfigBuilderRefuses() throws Exception {
        AlgorithmSpec bad = spec("{\"Classes\": [1.5]}");
        assertThrows(IllegalArgumentException.class, () -> new ObjectFilter(bad, List.of(0)));
    }

    @Test
    void withoutTaskClassesThePluginDefaultsApplyAndNoneAtAllMeansAnyClass() throws Exception {
        ObjectFilter persons = new ObjectFilter(spec(null), List.of(0));
        assertTrue(persons.accepts(detection(0, "person")));
        assertFalse(persons.accepts(detection(2, "car")));
        ObjectFilter any = new ObjectFilter(spec(null), List.of());
        assertTrue(any.accepts(detection(2, "car")));
    }
}
