package sophon.bridge.cpustream.element;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import sophon.bridge.cpustream.config.ConfigException;
import sophon.bridge.cpustream.config.ElementSpec;
import sophon.bridge.cpustream.config.GraphSpec;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.cpustream.detect.CascadeDetector;
import sophon.bridge.cpustream.detect.Detector;
import sophon.bridge.cpustream.detect.HogPeopleDetector;
import sophon.bridge.cpustream.detect.OnnxYoloDetector;
import sophon.bridge.cpustream.filter.FilterConfig;
import sophon.bridge.cpustream.filter.FilterElement;
import sophon.bridge.cpustream.push.HttpPushElement;
import sophon.bridge.cpustream.track.ByteTracker;
import sophon.bridge.streamconfig.ElementFamily;
import sophon.bridge.streamconfig.StreamElements;

/**
 * Makes a channel's elements from their configs, choosing the implementation by the config's
 * "name" as sophon-stream does, through the element registry ({@link StreamElements}: the name's
 * family says which CPU element runs it, or that it is TPU only). shared_object and .bmodel model paths are ignored: the CPU
 * implementations need neither; an "onnx_model_path" is honoured by the YOLO detectors.
 */
public final class ElementFactory {
    /** Which element names exist and which CPU implementation each has: data, shared with the builder. */
    private static final StreamElements ELEMENTS = StreamElements.shipped();

    private final Path workDir;
    private final ErrorReporter reporter;
    private final Clock clock;

    public ElementFactory(Path workDir, ErrorReporter reporter, Clock clock) {
        this.workDir = workDir;
        this.reporter = reporter;
        this.clock = clock;
    }

    /** True when the element registry gives the name a CPU implementation (not TPU only). */
    public static boolean supported(String name) {
        return ELEMENTS.family(name).map(f -> !f.tpuOnly()).orElse(false);
    }

    /** Every element of the graphs that has no CPU implementation, as "name (element N, file)". */
    public static List<String> unsupported(Iterable<GraphSpec> graphs) {
        List<String> out = new ArrayList<>();
        for (GraphSpec g : graphs) {
            for (ElementSpec e : g.elements().values()) {
                if (!supported(e.name())) {
                    out.add(e.name() + " (element " + e.elementId() + ", " + e.configPath() + ")");
                }
            }
        }
        return out;
    }

    /** The channel's instance of the graph; elements are closed again if one of them cannot be made. */
    public ChannelGraph build(GraphSpec graph, int channelId) throws ConfigException {
        ElementSpec source = graph.elements().get(graph.sourceId());
        if (!"decode"
                .equals(ELEMENTS.family(source.name()).map(ElementFamily::cpu).orElse(null))) {
            throw new ConfigException("graph " + graph.graphId() + ": the source element " + source.elementId()
                    + " must be \"decode\", not \"" + source.name() + "\"");
        }
        Map<Integer, ChannelGraph.Node> nodes = new HashMap<>();
        List<Element> made = new ArrayList<>();
        try {
            for (ElementSpec e : graph.elements().values()) {
                if (e.elementId() == graph.sourceId()) {
                    continue;
                }
                Element el = create(e, channelId);
                made.add(el);
                nodes.put(e.elementId(), new ChannelGraph.Node(el));
            }
        } catch (ConfigException | RuntimeException ex) {
            new ChannelGraph(List.of(), made).close();
            throw ex;
        }
        for (Map.Entry<Integer, List<Integer>> link : graph.downstream().entrySet()) {
            if (link.getKey() == graph.sourceId()) {
                continue;
            }
            ChannelGraph.Node from = nodes.get(link.getKey());
            for (int to : link.getValue()) {
                if (to != graph.sourceId()) {
                    from.feeds(nodes.get(to));
                }
            }
        }
        List<ChannelGraph.Node> roots = new ArrayList<>();
        for (int to : graph.downstream().getOrDefault(graph.sourceId(), List.of())) {
            roots.add(nodes.get(to));
        }
        return new ChannelGraph(roots, made);
    }

    private Element create(ElementSpec e, int channelId) throws ConfigException {
        JsonNode c = e.configure();
        String where = "element " + e.elementId() + " (" + e.name() + ", " + e.configPath() + ")";
        ElementFamily family = ELEMENTS.family(e.name())
                .filter(f -> !f.tpuOnly())
                .orElseThrow(
                        () -> new ConfigException(where + ": no CPU implementation of element \"" + e.name() + "\""));
        return switch (family.cpu()) {
            case "detector" -> detector(e, family, false, c, where);
            case "face_detector" -> detector(e, family, true, c, where);
            case "tracker" ->
                new TrackerElement(new ByteTracker(
                        (float) c.path("track_thresh").asDouble(0.5),
                        (float) c.path("high_thresh").asDouble(0.6),
                        (float) c.path("match_thresh").asDouble(0.8),
                        c.path("min_box_area").asInt(10),
                        c.path("frame_rate").asInt(30),
                        c.path("track_buffer").asInt(30)));
            case "filter" -> new FilterElement(channelId, FilterConfig.parse(c, where), clock);
            case "http_push" -> httpPush(c, channelId, where);
            case "decode" -> throw new ConfigException(where + ": a decoder can only be the graph's source");
            default ->
                throw new ConfigException(where + ": cpu-stream has no \"" + family.cpu() + "\" element (\"" + e.name()
                        + "\" in " + StreamElements.RESOURCE + ")");
        };
    }

    private Element detector(ElementSpec e, ElementFamily family, boolean face, JsonNode c, String where)
            throws ConfigException {
        JsonNode stage = c.get("stage");
        if (stage != null && stage.isArray() && !stage.toString().contains("infer")) {
            return new PassThroughElement();
        }
        String thresholdKey = family.thresholdKeys().isEmpty()
                ? "threshold_conf"
                : family.thresholdKeys().get(0);
        float threshold = threshold(c, thresholdKey, face ? "face" : "person", where);
        float nms = (float) c.path("threshold_nms").asDouble(0.5);
        DetectorElement.Roi roi = roi(c.get("roi"), where);
        Detector d;
        if (c.hasNonNull("onnx_model_path")) {
            if (face) {
                throw new ConfigException(where + ": onnx_model_path is supported for YOLO detectors only");
            }
            Path model = workDir.resolve(c.get("onnx_model_path").asText());
            if (!Files.isRegularFile(model)) {
                throw new ConfigException(where + ": onnx_model_path " + model + " does not exist");
            }
            try {
                // YOLOv8-family exports put attributes first; "output_layout" overrides the family's layout.
                String layout =
                        c.path("output_layout").asText(family.onnxLayout() == null ? "v5" : family.onnxLayout());
                if (!layout.equals("v5") && !layout.equals("v8")) {
                    throw new ConfigException(where + ": output_layout must be v5 ([1,N,5+C]) or v8 ([1,4+C,N])");
                }
                d = new OnnxYoloDetector(
                        model.toString(), inputSize(c), threshold, nms, classNames(c, where), layout.equals("v8"));
            } catch (RuntimeException ex) {
                throw new ConfigException(where + ": cannot load ONNX model " + model + ": " + ex.getMessage(), ex);
            }
        } else {
            String kind = c.path("cpu_detector").asText(face ? "face" : "person");
            d = switch (kind) {
                case "person" ->
                    new HogPeopleDetector(
                            c.path("cpu_scale").asDouble(1.0),
                            c.path("cpu_pyramid_step").asDouble(1.1));
                case "face" -> CascadeDetector.faces();
                case "plate" -> CascadeDetector.plates();
                default ->
                    throw new ConfigException(
                            where + ": cpu_detector must be person, face or plate, not \"" + kind + "\"");
            };
        }
        return new DetectorElement(d, threshold, roi, face);
    }

    private static float threshold(JsonNode c, String key, String label, String where) throws ConfigException {
        JsonNode t = c.get(key);
        double v;
        if (t == null || t.isNull()) {
            v = 0.5;
        } else if (t.isNumber()) {
            v = t.asDouble();
        } else if (t.isObject()) {
            // Per-class thresholds: the built-in detectors report one class, so its entry (or the lowest) applies.
            double min = 1;
            for (JsonNode x : t) {
                min = Math.min(min, x.asDouble(1));
            }
            v = t.has(label) ? t.get(label).asDouble() : min;
        } else {
            throw new ConfigException(where + ": \"" + key + "\" must be a number or an object of per-class numbers");
        }
        if (v < 0 || v > 1) {
            throw new ConfigException(where + ": \"" + key + "\" must be within 0..1, got " + v);
        }
        return (float) v;
    }

    private static DetectorElement.Roi roi(JsonNode r, String where) throws ConfigException {
        if (r == null || r.isNull()) {
            return null;
        }
        for (String k : List.of("left", "top", "width", "height")) {
            if (!r.path(k).isNumber()) {
                throw new ConfigException(where + ": roi needs numeric left, top, width and height");
            }
        }
        if (r.get("width").asInt() <= 0 || r.get("height").asInt() <= 0) {
            throw new ConfigException(where + ": roi width and height must be positive");
        }
        return new DetectorElement.Roi(
                r.get("left").asInt(),
                r.get("top").asInt(),
                r.get("width").asInt(),
                r.get("height").asInt());
    }

    private static int inputSize(JsonNode c) {
        JsonNode s = c.get("input_size");
        if (s == null) {
            return 640;
        }
        return s.isArray() ? s.get(0).asInt(640) : s.asInt(640);
    }

    private List<String> classNames(JsonNode c, String where) throws ConfigException {
        JsonNode f = c.get("class_names_file");
        if (f == null || !f.isTextual()) {
            return List.of();
        }
        Path p = workDir.resolve(f.asText());
        try {
            return Files.readAllLines(p).stream()
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException ex) {
            throw new ConfigException(where + ": class_names_file " + p + " cannot be read");
        }
    }

    private Element httpPush(JsonNode c, int channelId, String where) throws ConfigException {
        String scheme = c.path("scheme").asText("http");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(where + ": scheme must be http or https");
        }
        int port = c.path("port").asInt(-1);
        if (port <= 0 || port > 65535) {
            throw new ConfigException(where + ": http_push needs a valid \"port\"");
        }
        String ip = c.path("ip").asText("127.0.0.1");
        if ("0.0.0.0".equals(ip)) {
            ip = "127.0.0.1";
        }
        String path = c.path("path").asText("/");
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        HttpUrl uri;
        try {
            uri = HttpUrl.get(new URI(scheme, null, ip, port, path, null, null).toString());
        } catch (Exception ex) {
            throw new ConfigException(where + ": http_push address is not a valid URL: " + ex.getMessage());
        }
        int queue = c.path("queue_size").asInt(8);
        if (queue < 1) {
            throw new ConfigException(where + ": queue_size must be at least 1");
        }
        return new HttpPushElement(channelId, uri, queue, c.path("jpeg_quality").asInt(85), reporter);
    }
}
