package sophon.bridge.streamconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a template set ({@code <graphsDir>/<name>/config/*.json}) into a fresh {@link ConfigSet},
 * with {@code {Stream_path}} replaced in every string value. The template files are only read.
 */
public final class TemplateReader {
    public static final String STREAM_PATH = "{Stream_path}";
    /** The channel url placeholder, replaced from the task's Address. */
    public static final String SOURCE_URL = "{Source_url}";

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private TemplateReader() {}

    /** The template folder of an algorithm. */
    public static Path templateDir(Path graphsDir, String name) {
        return graphsDir.resolve(name).resolve(ConfigSet.CONFIG_DIR);
    }

    public static String demoFileName(String name) {
        return name + "_demo.json";
    }

    /**
     * @param streamRoot what replaces {@code {Stream_path}}, or null to keep the placeholder (for
     *                   checks of the templates themselves)
     */
    public static ConfigSet read(Path graphsDir, String name, String streamRoot) throws ConfigException {
        Path dir = templateDir(graphsDir, name);
        String demo = demoFileName(name);
        if (!Files.isRegularFile(dir.resolve(demo))) {
            throw new ConfigException("There is no template config set for algorithm " + name + " (stream-graphs/"
                    + name + "/config/" + demo + " is missing).");
        }
        Map<String, JsonNode> files = new TreeMap<>();
        List<Path> jsonFiles;
        try (Stream<Path> list = Files.list(dir)) {
            jsonFiles = list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigException("The template config set for algorithm " + name + " cannot be read.", e);
        }
        for (Path p : jsonFiles) {
            String rel = ConfigSet.CONFIG_DIR + "/" + p.getFileName();
            JsonNode node;
            try {
                node = JSON.readTree(p.toFile());
            } catch (JsonProcessingException e) {
                throw new ConfigException(
                        "The template file stream-graphs/" + name + "/" + rel + " is not valid JSON.", e);
            } catch (IOException e) {
                throw new ConfigException(
                        "The template file stream-graphs/" + name + "/" + rel + " cannot be read.", e);
            }
            if (node == null || node.isMissingNode()) {
                throw new ConfigException("The template file stream-graphs/" + name + "/" + rel + " is empty.");
            }
            files.put(rel, streamRoot == null ? node : substitute(node, streamRoot));
        }
        return new ConfigSet(name, ConfigSet.CONFIG_DIR + "/" + demo, files);
    }

    /** Replaces the root in string values (not in raw text, so a root with quotes stays valid JSON). */
    static JsonNode substitute(JsonNode node, String root) {
        if (node.isTextual()) {
            return node.asText().contains(STREAM_PATH)
                    ? TextNode.valueOf(node.asText().replace(STREAM_PATH, root))
                    : node;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                f.setValue(substitute(f.getValue(), root));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((ArrayNode) node).set(i, substitute(node.get(i), root));
            }
        }
        return node;
    }
}
