package sophon.bridge.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reads a generated config set back from a task folder, as the stream process sees it. */
final class GraphFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphFiles() {}

    static String algorithmJson(int type) {
        return """
                {"Type": %d, "TrackInterval": 20, "DetectInterval": 3, "AlarmInterval": 300, "threshold": 0.5,
                 "DetectInfos": [{"TripWire": {"LineStart":{"X":100,"Y":0},"LineEnd":{"X":100,"Y":1080},
                                               "DirectStart":{"X":0,"Y":500},"DirectEnd":{"X":200,"Y":500}},
                                  "HotArea": [{"X":0,"Y":0},{"X":1920,"Y":0},{"X":1920,"Y":1080},{"X":0,"Y":1080}]}]}
                """.formatted(type);
    }

    /** The configure block of the graph's http_push element. */
    static JsonNode httpPush(Path dir, String demoConfig) throws IOException {
        return assertValidGraphWithOneHttpPush(dir, demoConfig);
    }

    /**
     * Unique element ids, connections between existing elements, exactly one sink and it is the
     * only http_push; every element config exists. Returns the http_push configure block.
     */
    static JsonNode assertValidGraphWithOneHttpPush(Path dir, String demoConfig) throws IOException {
        JsonNode demo = JSON.readTree(dir.resolve(demoConfig).toFile());
        JsonNode graph = JSON.readTree(
                        dir.resolve(demo.path("engine_config_path").asText()).toFile())
                .get(0);
        Set<Integer> ids = new HashSet<>();
        Map<Integer, JsonNode> configs = new HashMap<>();
        int sinks = 0;
        JsonNode push = null;
        int pushes = 0;
        for (JsonNode e : graph.get("elements")) {
            int id = e.get("element_id").asInt();
            assertTrue(ids.add(id), "unique element id " + id);
            Path cfg = dir.resolve(e.get("element_config").asText());
            assertTrue(Files.isRegularFile(cfg), "element config exists: " + cfg);
            JsonNode config = JSON.readTree(cfg.toFile());
            configs.put(id, config);
            boolean sink = false;
            for (JsonNode port : e.path("ports").path("output")) {
                sink |= port.path("is_sink").asBoolean();
            }
            if (sink) {
                sinks++;
                assertEquals("http_push", config.path("name").asText(), "the sink is http_push");
            }
            if ("http_push".equals(config.path("name").asText())) {
                pushes++;
                push = config.path("configure");
                assertEquals(
                        demo.path("channels").size(),
                        config.path("thread_number").asInt(),
                        "http_push thread_number = channel count");
            }
        }
        for (JsonNode c : graph.get("connections")) {
            assertNotNull(configs.get(c.get("src_element_id").asInt()), "connection source exists " + c);
            assertNotNull(configs.get(c.get("dst_element_id").asInt()), "connection target exists " + c);
        }
        assertEquals(1, sinks, "exactly one sink");
        assertEquals(1, pushes, "exactly one http_push");
        assertEquals(
                push.path("port").asInt(),
                demo.path("http_report").path("port").asInt(),
                "http_report goes to the same business-logic process");
        return push;
    }
}
