package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskClasses;
import sophon.bridge.task.TaskRequest;

/**
 * Fills a task's parameters into a config set copied from a template: the channels (source,
 * sample_interval, loop_num), the detectors' confidence threshold (in the keys of
 * {@link StreamElements}) and the filter's rules.
 * Bad task values fail with an {@link IllegalArgumentException} whose message is one sentence.
 */
public final class StandardFill {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StandardFill() {}

    public static void apply(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm, FillProfile profile) {
        // Checked for every algorithm, not only those whose filter takes it: business logic's
        // ObjectFilter honours Extend.Classes too, and must never be handed one it cannot read.
        Optional<TaskClasses> taskClasses = TaskClasses.of(algorithm);
        fillChannels(configs, task, algorithm);
        fillThresholds(configs, algorithm);
        List<ConfigSet.Element> filters = configs.elementsNamed("filter");
        if (!filters.isEmpty()) {
            DetectAreas areas = DetectAreas.of(algorithm);
            List<Integer> classes = classes(configs, taskClasses, profile);
            for (ConfigSet.Element filter : filters) {
                fillFilter(configs, filter, algorithm, profile, areas, classes);
            }
        }
    }

    private static void fillChannels(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm) {
        StreamSource source = StreamSource.of(task.address());
        int loopNum = loopNum(algorithm);
        ArrayNode channels = configs.channels();
        if (channels.isEmpty()) {
            channels.addObject().put("channel_id", 0).put("fps", 25);
        }
        for (JsonNode node : channels) {
            ObjectNode channel = (ObjectNode) node;
            channel.put("url", source.url());
            channel.put("source_type", source.sourceType());
            channel.put("sample_interval", algorithm.detectIntervalOrDefault());
            channel.put("loop_num", loopNum);
            if (source.base64Port() > 0) {
                channel.put("base64_port", source.base64Port());
            } else {
                channel.remove("base64_port");
            }
        }
    }

    /**
     * 0 = replay forever: a task on a file runs until it is deleted. {@code Extend.LoopNum}
     * (a positive count) makes a file task finite, e.g. for a one-off analysis.
     */
    private static int loopNum(AlgorithmSpec algorithm) {
        JsonNode loop = algorithm.extend() == null ? null : algorithm.extend().get("LoopNum");
        if (loop == null || loop.isNull()) {
            return 0;
        }
        if (!loop.canConvertToInt() || !loop.isIntegralNumber() || loop.asInt() < 0) {
            throw new IllegalArgumentException("Extend.LoopNum must be a whole number of plays, 0 for forever.");
        }
        return loop.asInt();
    }

    /**
     * Every detector gets the task's threshold (50 and 0.5 both mean 50 %), in the keys its element
     * family declares ({@link StreamElements}).
     */
    private static void fillThresholds(ConfigSet configs, AlgorithmSpec algorithm) {
        double threshold = algorithm.thresholdFraction();
        for (ConfigSet.Element element : configs.elements()) {
            ObjectNode configure = element.configure();
            for (String key : StreamElements.shipped().thresholdKeys(element.name())) {
                JsonNode current = configure.get(key);
                if (current instanceof ObjectNode perClass) {
                    // per-class thresholds ({"person": 0.3, ...}): the task's threshold applies to all
                    Iterator<Map.Entry<String, JsonNode>> it = perClass.fields();
                    while (it.hasNext()) {
                        it.next().setValue(JSON.numberNode(threshold));
                    }
                } else if (current != null) {
                    configure.put(key, threshold);
                }
            }
        }
    }

    private static List<Integer> classes(ConfigSet configs, Optional<TaskClasses> fromTask, FillProfile profile) {
        if (profile.classesFromTask() && fromTask.isPresent()) {
            TaskClasses task = fromTask.get();
            return task.resolve(task.namesAny() ? classNames(configs) : List.of(), configs.algorithm());
        }
        if (profile.classes().isEmpty()) {
            // sophon-stream's filter drops every object when classes is empty: "no classes" means all
            return IntStream.range(0, classNames(configs).size()).boxed().toList();
        }
        return profile.classes();
    }

    /** The set's class names in id order (the demo's class_names file, else a class_names_file). */
    private static List<String> classNames(ConfigSet configs) {
        String file = configs.demo().path("class_names").asText("");
        for (ConfigSet.Element e : configs.elements()) {
            if (file.isEmpty()) {
                file = e.configure().path("class_names_file").asText("");
            }
        }
        Path path = file.isEmpty() ? null : Path.of(file);
        if (path == null || !path.isAbsolute() || !Files.isRegularFile(path)) {
            throw new IllegalStateException("The " + configs.algorithm()
                    + " config set names no readable class-names file to take classes from.");
        }
        try (Stream<String> lines = Files.lines(path)) {
            List<String> names =
                    lines.map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (names.isEmpty()) {
                throw new IllegalStateException(
                        "The class-names file of the " + configs.algorithm() + " config set is empty.");
            }
            return names;
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException(
                    "The class-names file of the " + configs.algorithm() + " config set cannot be read.", e);
        }
    }

    private static void fillFilter(
            ConfigSet configs,
            ConfigSet.Element filter,
            AlgorithmSpec algorithm,
            FillProfile profile,
            DetectAreas areas,
            List<Integer> classes) {
        ObjectNode configure = filter.configure();
        ObjectNode base = templateFilter(configure);
        ArrayNode rules = JSON.arrayNode();
        for (JsonNode channel : configs.channels()) {
            if (channel.path("graph_id").asInt(0) != filter.graphId()) {
                continue;
            }
            ObjectNode rule = rules.addObject();
            rule.put("channel_id", channel.path("channel_id").asInt(0));
            ObjectNode f = base.deepCopy();
            if (profile.cadenceInFilter()) {
                f.put("alert_first_frame", algorithm.trackIntervalOrDefault());
                // the filter computes (n - first - 1) % skip: 0 would divide by zero
                f.put("alert_frame_skip_nums", Math.max(1, algorithm.alarmIntervalOrDefault()));
            } else {
                // every frame of a matching track passes: (n - 0 - 1) % 1 == 0 for all n >= 1
                f.put("alert_first_frame", 0);
                f.put("alert_frame_skip_nums", 1);
            }
            f.set("areas", areas(profile, areas));
            ArrayNode cls = f.putArray("classes");
            classes.forEach(cls::add);
            if (!f.path("times").isArray() || f.path("times").isEmpty()) {
                ArrayNode times = f.putArray("times");
                times.addObject().put("time_start", "00 00 00").put("time_end", "23 59 59");
            }
            f.put("type", profile.filterType());
            if (profile.filterType() == 1 && areas.direction().isPresent()) {
                f.putArray("direction")
                        .add(areas.direction().get().x())
                        .add(areas.direction().get().y());
            } else {
                f.remove("direction");
            }
            rule.putArray("filters").add(f);
        }
        configure.set("rules", rules);
    }

    /** The template's first filter: keeps keys the task does not set (times, trajectory_interval). */
    private static ObjectNode templateFilter(ObjectNode configure) {
        JsonNode first = configure.path("rules").path(0).path("filters").path(0);
        return first instanceof ObjectNode o ? o.deepCopy() : JSON.objectNode();
    }

    /**
     * Line crossing keys on the TripWire lines (HotAreas are OR-ed with them by the filter, so they
     * only count when there is no line); the others on the HotArea polygons. {@code [[]]} — one empty
     * polygon — is sophon-stream's "anywhere": an empty list would drop every object.
     */
    private static ArrayNode areas(FillProfile profile, DetectAreas areas) {
        List<List<DetectAreas.Pixel>> chosen =
                profile.filterType() == 1 && !areas.lines().isEmpty() ? areas.lines() : areas.polygons();
        ArrayNode out = JSON.arrayNode();
        if (chosen.isEmpty()) {
            out.addArray();
            return out;
        }
        for (List<DetectAreas.Pixel> polygon : chosen) {
            ArrayNode p = out.addArray();
            for (DetectAreas.Pixel px : polygon) {
                p.addObject().put("left", px.x()).put("top", px.y());
            }
        }
        return out;
    }
}
