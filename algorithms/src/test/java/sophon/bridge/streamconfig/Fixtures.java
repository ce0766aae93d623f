package sophon.bridge.streamconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sophon.bridge.task.TaskRequest;

/** Shared test helpers: the repo's folders, tasks as application-web sends them, generated-file readers. */
final class Fixtures {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .toAbsolutePath()
            .normalize();
    static final Path GRAPHS = HOME.resolve("stream-graphs");
    static final Path CPU_ROOT = HOME.resolve("cpu-stream/root");
    static final Path VTEST = HOME.resolve("../shared/testdata/vtest.avi").normalize();
    static final Endpoint LOGIC = new Endpoint("127.0.0.1", 10007, "/frames");
    static final Endpoint LISTEN = new Endpoint("127.0.0.1", 11007, "/stream");

    private Fixtures() {}

    /** application-web's default algorithm entry, with a full-frame HotArea and no line. */
    static String defaultAlgorithm(int type) {
        return """
                {"Type": %d, "TrackInterval": 20, "DetectInterval": 3, "AlarmInterval": 300, "threshold": 50,
                 "TargetSize": {"MinDetect": 30, "MaxDetect": 250},
                 "DetectInfos": [{"TripWire": {"LineStart":{"X":0,"Y":0},"LineEnd":{"X":0,"Y":0},
                                                "DirectStart":{"X":0,"Y":0},"DirectEnd":{"X":0,"Y":0}},
                                  "HotArea": [{"X":0,"Y":0},{"X":1920,"Y":0},{"X":1920,"Y":1080},{"X":0,"Y":1080}]}]}
                """.formatted(type);
    }

    static TaskRequest task(String address, String... algorithms) {
        String json = """
                {"TaskID": "1001", "InputSrc": {"SrcID": "cam", "StreamSrc": {"Address": %s}},
                 "Algorithm": [%s], "Reporting": {"ReportUrlList": ["http://127.0.0.1:8089/api/upload"]}}
                """.formatted(
                        address == null ? "null" : JSON.valueToTree(address).toString(), String.join(",", algorithms));
        try {
            return JSON.readValue(json, TaskRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigRequest request(TaskRequest task, Path dir, StreamRoot root) {
        return new ConfigRequest(task, 0, dir, root, LOGIC, LISTEN);
    }

    static StreamRoot cpuRoot() {
        return new StreamRoot(CPU_ROOT, false);
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generated set read back from disk, as the stream process will see it. */
    record Generated(Path dir, JsonNode demo, JsonNode graphs, Map<Integer, JsonNode> elementConfigs) {
        static Generated read(BuiltConfig built) {
            Path dir = built.algorithmDir();
            JsonNode demo = Fixtures.read(dir.resolve(built.demoConfigArgument()));
            JsonNode graphs =
                    Fixtures.read(dir.resolve(demo.path("engine_config_path").asText()));
            Map<Integer, JsonNode> configs = new HashMap<>();
            for (JsonNode e : graphs.get(0).get("elements")) {
                Path cfg = dir.resolve(e.get("element_config").asText());
                assertTrue(Files.isRegularFile(cfg), "element config written: " + cfg);
                configs.put(e.get("element_id").asInt(), Fixtures.read(cfg));
            }
            return new Generated(dir, demo, graphs, configs);
        }

        JsonNode graph() {
            return graphs.get(0);
        }

        List<JsonNode> elementsNamed(String name) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode e : graph().get("elements")) {
                if (name.equals(elementConfigs
                        .get(e.get("element_id").asInt())
                        .path("name")
                        .asText())) {
                    out.add(elementConfigs.get(e.get("element_id").asInt()));
                }
            }
            return out;
        }

        JsonNode only(String name) {
            List<JsonNode> found = elementsNamed(name);
            assertEquals(1, found.size(), "one " + name + " element");
            return found.get(0);
        }

        JsonNode channel() {
            return demo.get("channels").get(0);
        }

        JsonNode filterRule() {
            return only("filter")
                    .path("configure")
                    .path("rules")
                    .get(0)
                    .path("filters")
                    .get(0);
        }

        /** Asserts the graph is well formed and ends in the one http_push sink; returns that element's entry. */
        JsonNode assertValidGraphWithHttpPushSink() {
            Set<Integer> ids = new HashSet<>();
            Map<Integer, JsonNode> byId = new HashMap<>();
            List<JsonNode> sinks = new ArrayList<>();
            for (JsonNode e : graph().get("elements")) {
                int id = e.get("element_id").asInt();
                assertTrue(ids.add(id), "unique id " + id);
                for (JsonNode inner : e.path("inner_elements_id")) {
                    assertTrue(ids.add(inner.asInt()), "unique inner id " + inner);
                }
                byId.put(id, e);
                for (JsonNode port : e.path("ports").path("output")) {
                    if (port.path("is_sink").asBoolean()) {
                        sinks.add(e);
                    }
                }
            }
            for (JsonNode c : graph().get("connections")) {
                assertNotNull(byId.get(c.get("src_element_id").asInt()), "connection source exists: " + c);
                assertNotNull(byId.get(c.get("dst_element_id").asInt()), "connection target exists: " + c);
            }
            assertEquals(1, sinks.size(), "exactly one sink");
            JsonNode sink = sinks.get(0);
            assertEquals(
                    "http_push",
                    elementConfigs
                            .get(sink.get("element_id").asInt())
                            .path("name")
                            .asText());
            assertEquals(1, elementsNamed("http_push").size(), "exactly one http_push");
            return sink;
        }
    }
}
