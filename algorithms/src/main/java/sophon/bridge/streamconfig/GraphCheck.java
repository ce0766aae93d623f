package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a config set describes a graph sophon-stream can load: unique ids (inner ids of
 * group elements included), every element config present and named, connections between
 * existing elements, one source and one sink per graph, every element reachable from the source,
 * and channels pointing at existing graphs. After injection the sink must be the one http_push.
 */
public final class GraphCheck {
    private GraphCheck() {}

    public static void check(ConfigSet set, boolean httpPushSink) throws ConfigException {
        String what = "The " + set.algorithm() + " config set is malformed: ";
        JsonNode demo = set.file(set.demoPath()).orElse(null);
        if (demo == null || !demo.isObject()) {
            throw new ConfigException(what + set.demoPath() + " is missing or not a JSON object.");
        }
        if (!demo.path("engine_config_path").isTextual()
                || set.file(demo.path("engine_config_path").asText()).isEmpty()) {
            throw new ConfigException(what + "engine_config_path does not name a file of the set.");
        }
        JsonNode graphs = set.file(set.enginePath()).orElseThrow();
        if (!graphs.isArray() || graphs.isEmpty()) {
            throw new ConfigException(what + set.enginePath() + " must be a non-empty array of graphs.");
        }
        Set<Integer> graphIds = new HashSet<>();
        for (JsonNode graph : graphs) {
            int graphId = graph.path("graph_id").asInt(-1);
            if (!graph.path("graph_id").isInt() || !graphIds.add(graphId)) {
                throw new ConfigException(what + "every graph needs its own integer graph_id.");
            }
            checkGraph(set, graph, graphId, httpPushSink, what);
        }
        JsonNode channels = demo.path("channels");
        if (!channels.isArray() || channels.isEmpty()) {
            throw new ConfigException(what + set.demoPath() + " has no channels.");
        }
        Set<Integer> channelIds = new HashSet<>();
        for (JsonNode channel : channels) {
            if (!channel.path("channel_id").isInt()
                    || !channelIds.add(channel.path("channel_id").asInt())) {
                throw new ConfigException(what + "every channel needs its own integer channel_id.");
            }
            if (!graphIds.contains(channel.path("graph_id").asInt(0))) {
                throw new ConfigException(
                        what + "channel " + channel.path("channel_id").asInt() + " names a graph that does not exist.");
            }
        }
    }

    private static void checkGraph(ConfigSet set, JsonNode graph, int graphId, boolean httpPushSink, String what)
            throws ConfigException {
        String where = what + "graph " + graphId + " ";
        JsonNode elements = graph.path("elements");
        if (!elements.isArray() || elements.isEmpty()) {
            throw new ConfigException(where + "has no elements.");
        }
        Set<Integer> ids = new HashSet<>();
        Map<Integer, String> names = new HashMap<>();
        Integer source = null;
        Integer sink = null;
        for (JsonNode e : elements) {
            if (!e.path("element_id").isInt()) {
                throw new ConfigException(where + "has an element without an integer element_id.");
            }
            int id = e.path("element_id").asInt();
            if (!ids.add(id)) {
                throw new ConfigException(where + "uses element id " + id + " twice.");
            }
            for (JsonNode inner : e.path("inner_elements_id")) {
                if (!inner.isInt() || !ids.add(inner.asInt())) {
                    throw new ConfigException(where + "uses element id " + inner.asText() + " twice.");
                }
            }
            String path = e.path("element_config").asText("");
            JsonNode config = set.file(path).orElse(null);
            if (config == null || !config.isObject()) {
                throw new ConfigException(
                        where + "element " + id + " has no element config in the set (" + path + ").");
            }
            if (!config.path("name").isTextual() || config.path("name").asText().isBlank()) {
                throw new ConfigException(where + "element " + id + " has no name in " + path + ".");
            }
            names.put(id, config.path("name").asText());
            for (JsonNode port : e.path("ports").path("input")) {
                if (port.path("is_src").asBoolean(false)) {
                    if (source != null) {
                        throw new ConfigException(where + "has more than one source element.");
                    }
                    source = id;
                }
            }
            if (HttpPushInjector.sinkPort(e) != null) {
                if (sink != null) {
                    throw new ConfigException(where + "has more than one sink element.");
                }
                sink = id;
            }
        }
        if (source == null || sink == null) {
            throw new ConfigException(where + "needs one source and one sink element.");
        }
        Map<Integer, Set<Integer>> next = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode c : graph.path("connections")) {
            int src = c.path("src_element_id").asInt(-1);
            int dst = c.path("dst_element_id").asInt(-1);
            if (!names.containsKey(src) || !names.containsKey(dst)) {
                throw new ConfigException(where + "connects element " + src + " to " + dst
                        + ", which are not both elements of the graph.");
            }
            if (!c.path("src_port").isInt() || !c.path("dst_port").isInt()) {
                throw new ConfigException(where + "has a connection without integer ports.");
            }
            if (!seen.add(src + ":" + c.path("src_port").asInt() + ">" + dst + ":"
                    + c.path("dst_port").asInt())) {
                throw new ConfigException(where + "repeats the connection from " + src + " to " + dst + ".");
            }
            if (src == sink) {
                throw new ConfigException(where + "has a connection out of its sink element " + sink + ".");
            }
            next.computeIfAbsent(src, k -> new HashSet<>()).add(dst);
        }
        Set<Integer> reached = new HashSet<>(List.of(source));
        Deque<Integer> todo = new ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            for (int n : next.getOrDefault(todo.pop(), Set.of())) {
                if (reached.add(n)) {
                    todo.push(n);
                }
            }
        }
        if (!reached.equals(names.keySet())) {
            Set<Integer> lost = new HashSet<>(names.keySet());
            lost.removeAll(reached);
            throw new ConfigException(where + "has elements no data reaches from the source: " + lost + ".");
        }
        if (httpPushSink) {
            long pushes = names.values().stream()
                    .filter(HttpPushInjector.HTTP_PUSH::equals)
                    .count();
            if (pushes != 1 || !HttpPushInjector.HTTP_PUSH.equals(names.get(sink))) {
                throw new ConfigException(where + "must end in exactly one http_push sink.");
            }
        }
    }
}
