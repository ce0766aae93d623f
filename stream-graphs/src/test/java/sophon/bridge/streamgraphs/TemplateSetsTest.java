package sophon.bridge.streamgraphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.algorithm.AlgorithmType;
import sophon.bridge.streamconfig.ConfigException;
import sophon.bridge.streamconfig.ConfigSet;
import sophon.bridge.streamconfig.GraphCheck;
import sophon.bridge.streamconfig.StreamElements;
import sophon.bridge.streamconfig.TemplateReader;

/** Every template set in this module, checked as sophon-stream and cpu-stream will read it. */
class TemplateSetsTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .toAbsolutePath()
            .normalize();
    private static final Path GRAPHS = HOME.resolve("stream-graphs");
    private static final Path CPU_ROOT = HOME.resolve("cpu-stream/root");
    private static final String ROOT = TemplateReader.STREAM_PATH;
    /** The element names sophon-stream and cpu-stream know, one registry for the builder and cpu-stream. */
    private static final StreamElements ELEMENTS = StreamElements.shipped();

    static List<String> templateNames() throws IOException {
        try (Stream<Path> dirs = Files.list(GRAPHS)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("config").resolve(d.getFileName() + "_demo.json")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyTypeOfTheMapAndTheFaceGraphHaveATemplate() throws IOException {
        Set<String> expected = new HashSet<>(Set.of("retinaface"));
        AlgorithmRegistry.load().types().stream().map(AlgorithmType::name).forEach(expected::add);
        assertTrue(
                new HashSet<>(templateNames()).containsAll(expected),
                "templates " + templateNames() + " cover " + expected);
    }

    @ParameterizedTest
    @MethodSource("templateNames")
    void graphIsWellFormed(String name) throws ConfigException {
        ConfigSet set = TemplateReader.read(GRAPHS, name, null);
        GraphCheck.check(set, false);
        assertEquals("config/engine_group.json", set.enginePath());
        assertTrue(set.elementsNamed("http_push").isEmpty(), "templates leave http_push to the builder");
        JsonNode channel = set.channels().get(0);
        assertEquals("{Source_url}", channel.path("url").asText());
        for (String key : List.of("channel_id", "source_type", "sample_interval", "loop_num", "fps")) {
            assertFalse(channel.path(key).isMissingNode(), name + " channel has " + key);
        }
    }

    @ParameterizedTest
    @MethodSource("templateNames")
    void everyFileParsesAndIsPartOfTheGraph(String name) throws Exception {
        ConfigSet set = TemplateReader.read(GRAPHS, name, null);
        Set<String> referenced = new HashSet<>(List.of(set.demoPath(), set.enginePath()));
        set.elements().forEach(e -> referenced.add(e.configPath()));
        try (Stream<Path> files = Files.list(GRAPHS.resolve(name).resolve("config"))) {
            for (Path f : files.toList()) {
                JSON.readTree(f.toFile());
                assertTrue(referenced.contains("config/" + f.getFileName()), f + " is used by the graph");
            }
        }
        assertEquals(referenced.size() - 2, set.elements().size(), "every element has its own config file");
    }

    @ParameterizedTest
    @MethodSource("templateNames")
    void elementsUseSophonStreamNamesAndLibraries(String name) throws ConfigException {
        for (ConfigSet.Element e : TemplateReader.read(GRAPHS, name, null).elements()) {
            assertTrue(
                    ELEMENTS.known(e.name()), name + ": element " + e.name() + " is not in " + StreamElements.RESOURCE);
            String library = e.config().path("shared_object").asText();
            assertTrue(library.matches("\\{Stream_path}/build/lib/lib[a-z0-9_]+\\.so"), name + ": " + library);
            assertEquals("sophgo", e.config().path("side").asText());
            assertTrue(e.config().path("thread_number").asInt() >= 1);
            assertTrue(e.config().path("configure").isObject(), name + " " + e.name() + " has configure");
            if (e.name().endsWith("_group")) {
                assertEquals(3, e.entry().path("inner_elements_id").size(), e.name() + " is a pre/infer/post group");
                assertTrue(
                        e.configure().path("model_path").asText().matches("\\{Stream_path}/samples/.+\\.bmodel"),
                        name + ": " + e.configure().path("model_path"));
            }
        }
    }

    /** What sophon-stream's filter insists on at load (STREAM_CHECKs in filter.cc). */
    @ParameterizedTest
    @MethodSource("templateNames")
    void filtersHaveTheKeysSophonStreamRequires(String name) throws ConfigException {
        for (ConfigSet.Element e : TemplateReader.read(GRAPHS, name, null).elementsNamed("filter")) {
            JsonNode rules = e.configure().path("rules");
            assertTrue(rules.isArray() && !rules.isEmpty(), name + " filter rules");
            for (JsonNode rule : rules) {
                assertTrue(rule.path("channel_id").isInt());
                for (JsonNode f : rule.path("filters")) {
                    assertTrue(f.path("areas").isArray()
                            && f.path("classes").isArray()
                            && f.path("times").isArray());
                    assertTrue(f.path("type").isInt());
                    assertFalse(f.path("classes").isEmpty(), "an empty class list would drop every object");
                    for (JsonNode t : f.path("times")) {
                        assertTrue(t.path("time_start").isTextual()
                                && t.path("time_end").isTextual());
                    }
                }
            }
        }
    }

    /** Under cpu-stream everything but TPU libraries and models must exist in cpu-stream/root. */
    @ParameterizedTest
    @MethodSource("templateNames")
    void dataFilesExistUnderTheCpuRoot(String name) throws Exception {
        List<String> refs = new ArrayList<>();
        try (Stream<Path> files = Files.list(GRAPHS.resolve(name).resolve("config"))) {
            for (Path f : files.toList()) {
                collect(JSON.readTree(f.toFile()), refs);
            }
        }
        for (String ref : refs) {
            if (ref.endsWith(".so") || ref.endsWith(".bmodel")) {
                continue;
            }
            Path file = CPU_ROOT.resolve(ref.substring(ROOT.length() + 1));
            assertTrue(Files.isRegularFile(file), name + " needs " + file);
            assertTrue(Files.size(file) > 0, file + " is not empty");
        }
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isTextual() && node.asText().startsWith(ROOT + "/")) {
            out.add(node.asText());
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                collect(child, out);
            }
        }
    }
}
