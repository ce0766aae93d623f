package sophon.bridge.algorithm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type→algorithm map, read from the classpath ({@value #RESOURCE}); plugins are instantiated
 * once, on load. There is no run-time override: the server and every business-logic process read
 * the same shipped map, so a type means the same algorithm to both; a new type is a new build
 * ({@code scripts/add_algorithm.sh}).
 */
public final class AlgorithmRegistry {
    public static final String RESOURCE = "sophon-bridge/algorithm-types.json";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final Map<Integer, AlgorithmType> types;
    private final Map<Integer, AlgorithmPlugin> plugins;

    private AlgorithmRegistry(List<AlgorithmType> list) {
        Map<Integer, AlgorithmType> byType = new LinkedHashMap<>();
        Map<Integer, AlgorithmPlugin> byTypePlugin = new LinkedHashMap<>();
        for (AlgorithmType t : list) {
            if (t.name() == null || !NAME.matcher(t.name()).matches()) {
                throw new IllegalArgumentException("algorithm type " + t.type() + " has an invalid name: " + t.name());
            }
            if (byType.putIfAbsent(t.type(), t) != null) {
                throw new IllegalArgumentException("algorithm type " + t.type() + " is mapped twice");
            }
            byTypePlugin.put(t.type(), instantiate(t));
        }
        this.types = Map.copyOf(byType);
        this.plugins = Map.copyOf(byTypePlugin);
    }

    /** The map shipped on the classpath. */
    public static AlgorithmRegistry load() {
        try (InputStream in = AlgorithmRegistry.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the classpath");
            }
            return new AlgorithmRegistry(read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<AlgorithmType> read(InputStream in) throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        return List.of(json.readValue(in, AlgorithmType[].class));
    }

    private static AlgorithmPlugin instantiate(AlgorithmType t) {
        try {
            Class<?> c = Class.forName(t.plugin());
            return (AlgorithmPlugin) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("algorithm type " + t.type() + ": cannot load plugin " + t.plugin(), e);
        }
    }

    public Optional<AlgorithmType> type(int type) {
        return Optional.ofNullable(types.get(type));
    }

    public Optional<AlgorithmPlugin> plugin(int type) {
        return Optional.ofNullable(plugins.get(type));
    }

    public Collection<AlgorithmType> types() {
        return types.values();
    }
}
