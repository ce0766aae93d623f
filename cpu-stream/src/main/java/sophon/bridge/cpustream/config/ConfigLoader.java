package sophon.bridge.cpustream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the demo config and everything it references. Like sophon-stream's main, every relative
 * path is resolved against the working directory of the process.
 */
public final class ConfigLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path workDir;

    public ConfigLoader(Path workDir) {
        this.workDir = workDir;
    }

    public DemoConfig load(String demoConfigPath) throws ConfigException {
        Path demoPath = workDir.resolve(demoConfigPath);
        JsonNode demo = readJson(demoPath, "demo config");
        if (!demo.isObject()) {
            throw new ConfigException("demo config " + demoPath + " must be a JSON object");
        }

        List<ChannelSpec> channels = new ArrayList<>();
        JsonNode chans = demo.path("channels");
        if (!chans.isMissingNode() && !chans.isArray()) {
            throw new ConfigException("demo config " + demoPath + ": \"channels\" must be an array");
        }
        for (JsonNode c : chans) {
            channels.add(channel(c, "demo config " + demoPath));
        }
        Set<Integer> ids = new HashSet<>();
        for (ChannelSpec c : channels) {
            if (!ids.add(c.channelId())) {
                throw new ConfigException(
                        "demo config " + demoPath + ": channel_id " + c.channelId() + " appears twice");
            }
        }

        String enginePath = text(demo, "engine_config_path", "demo config " + demoPath);
        Map<Integer, GraphSpec> graphs = graphs(workDir.resolve(enginePath));
        for (ChannelSpec c : channels) {
            if (!graphs.containsKey(c.graphId())) {
                throw new ConfigException("channel " + c.channelId() + " names graph_id " + c.graphId() + " which "
                        + enginePath + " does not define");
            }
        }

        Endpoint report = endpoint(demo.get("http_report"), "http_report");
        Endpoint listen = endpoint(demo.get("http_listen"), "http_listen");
        if (channels.isEmpty() && listen == null) {
            throw new ConfigException(
                    "demo config " + demoPath + " has no channels and no http_listen: nothing to run");
        }
        return new DemoConfig(List.copyOf(channels), graphs, report, listen);
    }

    /** Parses one channel object; also used for the body of /stream/addChannel. */
    public static ChannelSpec channel(JsonNode c, String where) throws ConfigException {
        if (!c.isObject()) {
            throw new ConfigException(where + ": a channel must be a JSON object");
        }
        JsonNode id = c.get("channel_id");
        if (id == null || !id.canConvertToInt()) {
            throw new ConfigException(where + ": channel needs an integer \"channel_id\"");
        }
        String w = where + " channel " + id.asInt();
        String url = text(c, "url", w);
        String typeName = c.path("source_type").asText("");
        SourceType type;
        try {
            type = SourceType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(w + ": unknown source_type \"" + typeName
                    + "\" (RTSP, RTMP, GB28181, VIDEO, IMG_DIR, BASE64, CAMERA)");
        }
        int interval = c.path("sample_interval").asInt(1);
        if (interval < 1) {
            throw new ConfigException(w + ": sample_interval must be at least 1, got " + interval);
        }
        String strategy = c.path("sample_strategy").asText("DROP").toUpperCase(Locale.ROOT);
        ChannelSpec.SampleStrategy st;
        try {
            st = ChannelSpec.SampleStrategy.valueOf(strategy);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(w + ": sample_strategy must be DROP or KEEP, got \"" + strategy + "\"");
        }
        return new ChannelSpec(
                id.asInt(),
                url,
                type,
                interval,
                st,
                c.path("loop_num").asInt(1),
                c.path("fps").asDouble(0),
                c.path("graph_id").asInt(0),
                c.path("base64_port").asInt(0));
    }

    private Map<Integer, GraphSpec> graphs(Path enginePath) throws ConfigException {
        JsonNode engine = readJson(enginePath, "engine config");
        if (!engine.isArray() || engine.isEmpty()) {
            throw new ConfigException("engine config " + enginePath + " must be a non-empty JSON array of graphs");
        }
        Map<Integer, GraphSpec> graphs = new LinkedHashMap<>();
        for (JsonNode g : engine) {
            String where = "engine config " + enginePath;
            JsonNode gid = g.get("graph_id");
            if (gid == null || !gid.canConvertToInt()) {
                throw new ConfigException(where + ": a graph needs an integer \"graph_id\"");
            }
            where += " graph " + gid.asInt();
            JsonNode els = g.get("elements");
            if (els == null || !els.isArray() || els.isEmpty()) {
                throw new ConfigException(where + ": \"elements\" must be a non-empty array");
            }
            Map<Integer, ElementSpec> elements = new LinkedHashMap<>();
            Integer source = null;
            for (JsonNode e : els) {
                JsonNode eid = e.get("element_id");
                if (eid == null || !eid.canConvertToInt()) {
                    throw new ConfigException(where + ": an element needs an integer \"element_id\"");
                }
                if (elements.containsKey(eid.asInt())) {
                    throw new ConfigException(where + ": element_id " + eid.asInt() + " appears twice");
                }
                String cfgPath = text(e, "element_config", where + " element " + eid.asInt());
                Path p = workDir.resolve(cfgPath);
                JsonNode cfg = readJson(p, "element config of element " + eid.asInt());
                String name = text(cfg, "name", "element config " + p);
                JsonNode configure = cfg.path("configure");
                if (!configure.isObject()) {
                    throw new ConfigException("element config " + p + ": \"configure\" must be an object");
                }
                boolean isSrc = portFlag(e, "input", "is_src");
                boolean isSink = portFlag(e, "output", "is_sink");
                elements.put(
                        eid.asInt(),
                        new ElementSpec(
                                eid.asInt(),
                                name,
                                configure,
                                p.toString(),
                                isSrc,
                                isSink,
                                cfg.path("thread_number").asInt(1)));
                if (isSrc) {
                    if (source != null) {
                        throw new ConfigException(
                                where + ": more than one source element (" + source + ", " + eid.asInt() + ")");
                    }
                    source = eid.asInt();
                }
            }
            if (source == null) {
                throw new ConfigException(where + ": no element is marked as source (ports.input[].is_src)");
            }
            Map<Integer, List<Integer>> down = new HashMap<>();
            JsonNode conns = g.path("connections");
            if (!conns.isArray()) {
                throw new ConfigException(where + ": \"connections\" must be an array");
            }
            for (JsonNode c : conns) {
                int s = c.path("src_element_id").asInt(Integer.MIN_VALUE),
                        d = c.path("dst_element_id").asInt(Integer.MIN_VALUE);
                if (!elements.containsKey(s) || !elements.containsKey(d)) {
                    throw new ConfigException(where + ": connection " + c + " names an element that does not exist");
                }
                down.computeIfAbsent(s, k -> new ArrayList<>()).add(d);
            }
            checkAcyclic(source, down, new HashSet<>(), where);
            graphs.put(
                    gid.asInt(), new GraphSpec(gid.asInt(), g.path("graph_name").asText(""), elements, down, source));
        }
        return graphs;
    }

    private static void checkAcyclic(int node, Map<Integer, List<Integer>> down, Set<Integer> path, String where)
            throws ConfigException {
        if (!path.add(node)) {
            throw new ConfigException(where + ": connections form a cycle through element " + node);
        }
        for (int d : down.getOrDefault(node, List.of())) {
            checkAcyclic(d, down, path, where);
        }
        path.remove(node);
    }

    private static boolean portFlag(JsonNode element, String dir, String flag) {
        for (JsonNode port : element.path("ports").path(dir)) {
            if (port.path(flag).asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static Endpoint endpoint(JsonNode n, String key) throws ConfigException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()
                || !n.path("port").canConvertToInt()
                || n.path("port").asInt() <= 0
                || n.path("port").asInt() > 65535) {
            throw new ConfigException("\"" + key + "\" needs {\"ip\",\"port\",\"path\"} with a valid port");
        }
        return new Endpoint(
                n.path("ip").asText("127.0.0.1"),
                n.path("port").asInt(),
                n.path("path").asText("/"));
    }

    private static String text(JsonNode n, String key, String where) throws ConfigException {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(where + ": \"" + key + "\" is missing or not a string");
        }
        return v.asText();
    }

    private static JsonNode readJson(Path p, String what) throws ConfigException {
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(what + " " + p + " does not exist");
        }
        try {
            return JSON.readTree(p.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(what + " " + p + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(what + " " + p + " cannot be read: " + e.getMessage(), e);
        }
    }
}
