package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sophon.bridge.task.Credentials;

/**
 * Checks a generated set before it is written: no template placeholder left, and every file it
 * references exists — config files of the set itself, and libraries, models and class-name
 * files of the stream root. Relative paths resolve against the stream process's working
 * directory, as sophon-stream resolves them.
 */
final class ReferencedFiles {
    /** Keys whose value is a file, besides any key ending in {@code _path} or {@code _file}. */
    private static final Set<String> FILE_KEYS = Set.of("element_config", "shared_object", "class_names");
    /** The templates' placeholders; other braces may be part of a real file name. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(Stream_path|Source_url)}");

    private ReferencedFiles() {}

    static void checkPlaceholders(ConfigSet set) throws ConfigException {
        for (Map.Entry<String, JsonNode> file : set.files().entrySet()) {
            String left = firstPlaceholder(file.getValue());
            if (left != null) {
                throw new ConfigException("The " + set.algorithm() + " config set leaves the placeholder " + left
                        + " unfilled in " + file.getKey() + ".");
            }
        }
    }

    private static String firstPlaceholder(JsonNode node) {
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            return m.find() ? m.group() : null;
        }
        for (JsonNode child : node) {
            String found = firstPlaceholder(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    static void check(ConfigSet set, Path workDir, StreamRoot root) throws ConfigException {
        Path rootDir = root.root().toAbsolutePath().normalize();
        for (Map.Entry<String, JsonNode> file : set.files().entrySet()) {
            check(set, file.getValue(), workDir, rootDir, root.nativeFilesRequired());
        }
    }

    private static void check(ConfigSet set, JsonNode node, Path workDir, Path rootDir, boolean nativeFiles)
            throws ConfigException {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getValue().isTextual() && isFileKey(f.getKey())) {
                    checkFile(set, f.getKey(), f.getValue().asText(), workDir, rootDir, nativeFiles);
                } else {
                    check(set, f.getValue(), workDir, rootDir, nativeFiles);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                check(set, child, workDir, rootDir, nativeFiles);
            }
        }
    }

    private static boolean isFileKey(String key) {
        return FILE_KEYS.contains(key) || key.endsWith("_path") || key.endsWith("_file");
    }

    private static void checkFile(
            ConfigSet set, String key, String value, Path workDir, Path rootDir, boolean nativeFiles)
            throws ConfigException {
        if (set.has(value)) {
            return;
        }
        // cpu-stream runs elements by name on the CPU: TPU libraries and models are not needed there
        if (!nativeFiles && ("shared_object".equals(key) || value.endsWith(".bmodel"))) {
            return;
        }
        Path path;
        try {
            path = workDir.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(
                    "The " + set.algorithm() + " config set has an invalid file name in " + key + ".");
        }
        if (Files.isRegularFile(path)) {
            return;
        }
        String shown = path.startsWith(rootDir)
                ? rootDir.relativize(path) + " under the stream root " + rootDir
                : Credentials.mask(path.toString());
        throw new ConfigException(
                "The " + set.algorithm() + " config set needs the file " + shown + ", which does not exist.");
    }
}
