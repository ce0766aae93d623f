package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.algorithm.AlgorithmType;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.Credentials;
import sophon.bridge.task.TaskRequest;

/**
 * The config generator: copies an algorithm's template set from {@code stream-graphs/<name>/}
 * into {@code <algorithmDir>/config/}, substitutes the stream root, lets the plugin fill in the
 * task, injects http_push and checks the graph and every referenced file. The templates are only
 * read; a failed build leaves no config behind (an earlier good one is replaced only on success).
 */
public final class ConfigSetBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigSetBuilder.class);
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final Path graphsDir;
    private final AlgorithmRegistry registry;

    public ConfigSetBuilder(Path graphsDir, AlgorithmRegistry registry) {
        this.graphsDir = graphsDir.toAbsolutePath().normalize();
        this.registry = registry;
    }

    /** Builds the set of {@code request.task().algorithms().get(request.algorithmIndex())}. */
    public BuiltConfig build(ConfigRequest request) throws ConfigException {
        AlgorithmSpec algorithm = algorithm(request);
        Integer type = algorithm.type();
        if (type == null) {
            throw new ConfigException("Algorithm entry " + request.algorithmIndex() + " has no Type.");
        }
        AlgorithmType known =
                registry.type(type).orElseThrow(() -> new ConfigException("Algorithm type " + type + " is not known."));
        AlgorithmPlugin plugin = registry.plugin(type).orElseThrow();
        return build(request, known.name(), set -> plugin.fillConfig(set, request.task(), algorithm));
    }

    /**
     * Builds a named template set that is not in the type map (e.g. {@code retinaface}) with the
     * standard fill and the given profile; the algorithm entry still supplies the task's values.
     */
    public BuiltConfig build(ConfigRequest request, String templateName, FillProfile profile) throws ConfigException {
        if (templateName == null || !TEMPLATE_NAME.matcher(templateName).matches()) {
            throw new ConfigException("A template name must be lower-case letters, digits and underscores.");
        }
        AlgorithmSpec algorithm = algorithm(request);
        return build(request, templateName, set -> StandardFill.apply(set, request.task(), algorithm, profile));
    }

    /**
     * The files, relative to the stream root, that a generated set of this template references
     * (libraries, models, class-name files, and the injected http_push library) — what a real
     * sophon-stream root must hold, e.g. to lay out a stand-in root for tests.
     */
    public List<String> streamRootFiles(String templateName) throws ConfigException {
        if (templateName == null || !TEMPLATE_NAME.matcher(templateName).matches()) {
            throw new ConfigException("A template name must be lower-case letters, digits and underscores.");
        }
        ConfigSet set = TemplateReader.read(graphsDir, templateName, null);
        Set<String> files = new TreeSet<>();
        for (JsonNode file : set.files().values()) {
            collectRootFiles(file, files);
        }
        files.add(HttpPushInjector.LIBRARY);
        return List.copyOf(files);
    }

    private static void collectRootFiles(JsonNode node, Set<String> out) {
        String prefix = TemplateReader.STREAM_PATH + "/";
        if (node.isTextual() && node.asText().startsWith(prefix)) {
            out.add(node.asText().substring(prefix.length()));
        }
        for (JsonNode child : node) {
            collectRootFiles(child, out);
        }
    }

    private interface Fill {
        void fill(ConfigSet set);
    }

    private BuiltConfig build(ConfigRequest request, String name, Fill fill) throws ConfigException {
        if (request.streamRoot() == null || request.businessLogic() == null || request.algorithmDir() == null) {
            throw new ConfigException("The config request lacks a stream root, a business-logic endpoint or a folder.");
        }
        String root = request.streamRoot().root().toAbsolutePath().normalize().toString();
        ConfigSet set = TemplateReader.read(graphsDir, name, root);
        GraphCheck.check(set, false);
        try {
            fill.fill(set);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the plugin's reasons are one sentence about the task (never its raw Address)
            throw new ConfigException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // a plugin bug: its message may quote the task, so it is logged masked and not chained
            LOG.error(
                    "TaskID={} algorithm={} plugin failed to fill the config set: {} at {}",
                    request.task().taskId(),
                    name,
                    Credentials.mask(String.valueOf(e)),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            throw new ConfigException("The " + name + " plugin could not fill in the task's parameters.");
        }
        HttpPushInjector.apply(set, request.businessLogic(), request.streamListen(), root);
        GraphCheck.check(set, true);
        ReferencedFiles.checkPlaceholders(set);
        Path algorithmDir = request.algorithmDir().toAbsolutePath().normalize();
        ReferencedFiles.check(set, algorithmDir, request.streamRoot());
        ConfigWriter.write(set, TemplateReader.templateDir(graphsDir, name), algorithmDir);
        LOG.info(
                "TaskID={} algorithm={} config set generated in {}",
                request.task().taskId(),
                name,
                algorithmDir);
        return new BuiltConfig(algorithmDir, set.demoPath());
    }

    private static AlgorithmSpec algorithm(ConfigRequest request) throws ConfigException {
        TaskRequest task = request.task();
        if (task == null || task.algorithms() == null) {
            throw new ConfigException("The task has no Algorithm list.");
        }
        List<AlgorithmSpec> algorithms = task.algorithms();
        if (request.algorithmIndex() < 0
                || request.algorithmIndex() >= algorithms.size()
                || algorithms.get(request.algorithmIndex()) == null) {
            throw new ConfigException("The task has no algorithm entry " + request.algorithmIndex() + ".");
        }
        return algorithms.get(request.algorithmIndex());
    }
}
