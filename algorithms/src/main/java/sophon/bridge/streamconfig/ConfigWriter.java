package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.files.FileTrees;

/**
 * Writes a generated set to {@code <algorithmDir>/config/}: into a fresh sibling folder first,
 * then swapped in, so the stream process never sees a half-written set and a failure keeps the
 * previous one. Non-JSON files of the template folder are copied as they are.
 */
final class ConfigWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWriter.class);
    private static final ObjectWriter WRITER = TemplateReader.JSON.writerWithDefaultPrettyPrinter();

    private ConfigWriter() {}

    static void write(ConfigSet set, Path templateDir, Path algorithmDir) throws ConfigException {
        Path target = algorithmDir.resolve(ConfigSet.CONFIG_DIR);
        Path fresh = algorithmDir.resolve(ConfigSet.CONFIG_DIR + ".new-" + UUID.randomUUID());
        try {
            Files.createDirectories(fresh);
            try (Stream<Path> extras = Files.list(templateDir)) {
                for (Path p : extras.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().endsWith(".json"))
                        .toList()) {
                    Files.copy(p, fresh.resolve(p.getFileName().toString()));
                }
            }
            String prefix = ConfigSet.CONFIG_DIR + "/";
            for (Map.Entry<String, JsonNode> file : set.files().entrySet()) {
                Path out = fresh.resolve(
                                file.getKey().startsWith(prefix) ? file.getKey().substring(prefix.length()) : "..")
                        .normalize();
                if (!out.startsWith(fresh) || out.equals(fresh)) {
                    throw new ConfigException(
                            "The " + set.algorithm() + " config set names a file outside its config folder.");
                }
                Files.createDirectories(out.getParent());
                WRITER.writeValue(out.toFile(), file.getValue());
            }
            FileTrees.delete(target);
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(fresh);
            throw new ConfigException(
                    "The config set for " + set.algorithm() + " cannot be written to the task folder.", e);
        } catch (ConfigException e) {
            deleteQuietly(fresh);
            throw e;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }
}
