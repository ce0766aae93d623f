package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Points a config set's results and errors at the algorithm's business-logic process: an
 * http_push element at each graph's end (injected when the template has none: it takes over the
 * sink port), {@code http_report} in the demo config, and {@code http_listen} for the stream
 * process's own channel API.
 */
final class HttpPushInjector {
    static final String HTTP_PUSH = "http_push";
    static final String ERRORS_PATH = "/errors";
    /** The http_push library, relative to the stream root. */
    static final String LIBRARY = "build/lib/libhttp_push.so";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HttpPushInjector() {}

    static void apply(ConfigSet set, Endpoint businessLogic, Endpoint streamListen, String streamRoot)
            throws ConfigException {
        for (JsonNode g : set.graphs()) {
            ObjectNode graph = (ObjectNode) g;
            int graphId = graph.path("graph_id").asInt(0);
            int channels = channelCount(set, graphId);
            List<ConfigSet.Element> pushes = set.elementsNamed(HTTP_PUSH).stream()
                    .filter(e -> e.graphId() == graphId)
                    .toList();
            if (pushes.size() > 1) {
                throw new ConfigException("The " + set.algorithm()
                        + " template has more than one http_push element in graph " + graphId + ".");
            }
            ObjectNode pushConfig = pushes.isEmpty()
                    ? inject(set, graph, streamRoot)
                    : pushes.get(0).config();
            ObjectNode configure =
                    pushConfig.get("configure") instanceof ObjectNode c ? c : pushConfig.putObject("configure");
            configure
                    .put("ip", businessLogic.ip())
                    .put("port", businessLogic.port())
                    .put("path", businessLogic.path());
            // http_push runs one queue per thread and needs one per channel
            pushConfig.put("thread_number", Math.max(1, channels));
        }
        ObjectNode demo = set.demo();
        demo.putObject("http_report")
                .put("ip", businessLogic.ip())
                .put("port", businessLogic.port())
                .put("path", ERRORS_PATH);
        if (streamListen == null) {
            demo.remove("http_listen");
        } else {
            demo.putObject("http_listen")
                    .put("ip", streamListen.ip())
                    .put("port", streamListen.port())
                    .put("path", streamListen.path());
        }
    }

    private static int channelCount(ConfigSet set, int graphId) {
        int n = 0;
        for (JsonNode channel : set.channels()) {
            if (channel.path("graph_id").asInt(0) == graphId) {
                n++;
            }
        }
        return n;
    }

    /** Moves the graph's sink port to a new http_push element fed by the old sink. */
    private static ObjectNode inject(ConfigSet set, ObjectNode graph, String streamRoot) throws ConfigException {
        int graphId = graph.path("graph_id").asInt(0);
        List<ObjectNode> sinks = new ArrayList<>();
        for (JsonNode e : graph.path("elements")) {
            if (sinkPort(e) != null) {
                sinks.add((ObjectNode) e);
            }
        }
        if (sinks.size() != 1) {
            throw new ConfigException("The " + set.algorithm() + " template's graph " + graphId + " has " + sinks.size()
                    + " sink elements, so http_push cannot be attached (exactly one is needed).");
        }
        ObjectNode oldSink = sinks.get(0);
        int srcPort = sinkPort(oldSink).path("port_id").asInt(0);
        removeSinkPorts(oldSink);

        int id = freshId(graph);
        String path = ConfigSet.CONFIG_DIR + "/" + HTTP_PUSH
                + (set.has(ConfigSet.CONFIG_DIR + "/" + HTTP_PUSH + ".json") ? "_" + graphId + "_" + id : "") + ".json";
        ObjectNode element = ((ArrayNode) graph.get("elements")).addObject();
        element.put("element_id", id).put("element_config", path);
        element.putObject("ports")
                .putArray("output")
                .addObject()
                .put("port_id", 0)
                .put("is_sink", true)
                .put("is_src", false);
        ArrayNode connections = graph.get("connections") instanceof ArrayNode a ? a : graph.putArray("connections");
        connections
                .addObject()
                .put("src_element_id", oldSink.path("element_id").asInt())
                .put("src_port", srcPort)
                .put("dst_element_id", id)
                .put("dst_port", 0);

        ObjectNode config = JSON.objectNode();
        config.putObject("configure");
        config.put("shared_object", streamRoot + "/" + LIBRARY);
        config.put("name", HTTP_PUSH);
        config.put("side", "sophgo");
        config.put("thread_number", 1);
        set.put(path, config);
        return config;
    }

    /** The element's sink output port, or null. */
    static JsonNode sinkPort(JsonNode element) {
        for (JsonNode port : element.path("ports").path("output")) {
            if (port.path("is_sink").asBoolean(false)) {
                return port;
            }
        }
        return null;
    }

    private static void removeSinkPorts(ObjectNode element) {
        ObjectNode ports = (ObjectNode) element.get("ports");
        ArrayNode output = (ArrayNode) ports.get("output");
        Iterator<JsonNode> it = output.elements();
        while (it.hasNext()) {
            if (it.next().path("is_sink").asBoolean(false)) {
                it.remove();
            }
        }
        if (output.isEmpty()) {
            ports.remove("output");
        }
        if (ports.isEmpty()) {
            element.remove("ports");
        }
    }

    /**
     * The next top-level id after the graph's last one (5000-style, like the samples), skipping
     * ids taken by group elements' inner ids, which share the id space.
     */
    private static int freshId(JsonNode graph) {
        Set<Integer> used = new HashSet<>();
        int max = 0;
        for (JsonNode e : graph.path("elements")) {
            used.add(e.path("element_id").asInt());
            max = Math.max(max, e.path("element_id").asInt());
            for (JsonNode inner : e.path("inner_elements_id")) {
                used.add(inner.asInt());
            }
        }
        int id = max + 1;
        while (used.contains(id)) {
            id++;
        }
        return id;
    }
}
