package sophon.bridge.streamconfig;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sophon-stream element names this project knows, read from the classpath ({@value #RESOURCE}):
 * data, like the type map, so that a new algorithm (and a new element family,
 * {@code scripts/add_algorithm.sh --element}) touches no class. The templates may use only these
 * names (stream-graphs' tests), {@link StandardFill} fills the threshold keys they declare, and
 * cpu-stream builds each by its {@code cpu} implementation or refuses it as TPU only.
 */
public final class StreamElements {
    public static final String RESOURCE = "sophon-bridge/stream-elements.json";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final StreamElements SHIPPED = read();

    private final Map<String, ElementFamily> byName;

    private StreamElements(List<ElementFamily> families) {
        Map<String, ElementFamily> raw = new LinkedHashMap<>();
        for (ElementFamily f : families) {
            if (f.names().isEmpty()) {
                throw new IllegalArgumentException(RESOURCE + ": a family without names");
            }
            for (String name : f.names()) {
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(RESOURCE + ": invalid element name " + name);
                }
                if (raw.putIfAbsent(name, f) != null) {
                    throw new IllegalArgumentException(RESOURCE + ": element " + name + " is listed twice");
                }
            }
        }
        Map<String, ElementFamily> resolved = new LinkedHashMap<>();
        raw.forEach((name, f) -> resolved.put(name, resolve(raw, f)));
        this.byName = Map.copyOf(resolved);
    }

    /** A family declared {@code like} another element takes that element's implementation. */
    private static ElementFamily resolve(Map<String, ElementFamily> raw, ElementFamily f) {
        if (f.like() == null) {
            return f;
        }
        ElementFamily model = raw.get(f.like());
        if (model == null || model.like() != null) {
            throw new IllegalArgumentException(RESOURCE + ": " + f.names() + " is like " + f.like()
                    + ", which is not an element of a family of its own");
        }
        return new ElementFamily(f.names(), model.cpu(), model.thresholdKeys(), model.onnxLayout(), null);
    }

    /** The registry shipped on the classpath (read once). */
    public static StreamElements shipped() {
        return SHIPPED;
    }

    private static StreamElements read() {
        try (InputStream in = StreamElements.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the classpath");
            }
            return new StreamElements(List.of(JsonMapper.builder().build().readValue(in, ElementFamily[].class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<ElementFamily> family(String elementName) {
        return Optional.ofNullable(elementName == null ? null : byName.get(elementName));
    }

    public boolean known(String elementName) {
        return family(elementName).isPresent();
    }

    /** The keys of the element's {@code configure} that carry the detection threshold (none if unknown). */
    public List<String> thresholdKeys(String elementName) {
        return family(elementName).map(ElementFamily::thresholdKeys).orElse(List.of());
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
