package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One algorithm's config set while it is being generated: every JSON file of the set, keyed by
 * its path relative to the stream process's working directory ({@code config/<file>.json}).
 * Plugins edit it in place through {@link StandardFill}; the builder writes it out afterwards.
 * It is a single-threaded working copy, never shared.
 */
public final class ConfigSet {
    public static final String CONFIG_DIR = "config";

    private final String algorithm;
    private final String demoPath;
    private final Map<String, JsonNode> files;

    ConfigSet(String algorithm, String demoPath, Map<String, JsonNode> files) {
        this.algorithm = algorithm;
        this.demoPath = demoPath;
        this.files = new LinkedHashMap<>(files);
    }

    /** The algorithm (template folder) name. */
    public String algorithm() {
        return algorithm;
    }

    /** {@code config/<algorithm>_demo.json}. */
    public String demoPath() {
        return demoPath;
    }

    public ObjectNode demo() {
        return object(demoPath);
    }

    /** The demo config's channels (an empty array when the template has none). */
    public ArrayNode channels() {
        JsonNode channels = demo().get("channels");
        return channels instanceof ArrayNode a ? a : demo().putArray("channels");
    }

    public String enginePath() {
        JsonNode path = demo().get("engine_config_path");
        if (path == null || !path.isTextual()) {
            throw new IllegalStateException("the demo config " + demoPath + " has no engine_config_path");
        }
        return path.asText();
    }

    /** The graph file: an array of graphs. */
    public ArrayNode graphs() {
        JsonNode graphs = files.get(enginePath());
        if (!(graphs instanceof ArrayNode a)) {
            throw new IllegalStateException("the graph file " + enginePath() + " is missing or not a JSON array");
        }
        return a;
    }

    /** Every element of every graph, in file order. */
    public List<Element> elements() {
        List<Element> out = new ArrayList<>();
        for (JsonNode graph : graphs()) {
            int graphId = graph.path("graph_id").asInt(0);
            for (JsonNode entry : graph.path("elements")) {
                String path = entry.path("element_config").asText("");
                JsonNode config = files.get(path);
                if (entry instanceof ObjectNode e && config instanceof ObjectNode c) {
                    out.add(new Element(graphId, e, path, c));
                }
            }
        }
        return out;
    }

    /** The elements whose config {@code name} is the given sophon-stream element name. */
    public List<Element> elementsNamed(String name) {
        return elements().stream().filter(e -> name.equals(e.name())).toList();
    }

    public Optional<JsonNode> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public boolean has(String path) {
        return files.containsKey(path);
    }

    /** Adds or replaces a file of the set (path relative to the working directory). */
    public void put(String path, JsonNode content) {
        files.put(path, content);
    }

    public Map<String, JsonNode> files() {
        return Collections.unmodifiableMap(files);
    }

    private ObjectNode object(String path) {
        JsonNode node = files.get(path);
        if (!(node instanceof ObjectNode o)) {
            throw new IllegalStateException(path + " is missing or not a JSON object");
        }
        return o;
    }

    /**
     * One graph element with its own config file.
     *
     * @param graphId    the graph it belongs to
     * @param entry      its entry in the graph's {@code elements}
     * @param configPath its {@code element_config}
     * @param config     the element config ({@code configure}, {@code name}, {@code shared_object}, ...)
     */
    public record Element(int graphId, ObjectNode entry, String configPath, ObjectNode config) {
        public int id() {
            return entry.path("element_id").asInt();
        }

        public String name() {
            return config.path("name").asText("");
        }

        /** The {@code configure} object, created when the template has none. */
        public ObjectNode configure() {
            JsonNode c = config.get("configure");
            return c instanceof ObjectNode o ? o : config.putObject("configure");
        }
    }
}
