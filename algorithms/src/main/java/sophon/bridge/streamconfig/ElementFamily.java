package sophon.bridge.streamconfig;

import java.util.List;

/**
 * One family of sophon-stream elements in {@value StreamElements#RESOURCE}: the element names
 * (a config's {@code "name"}) that share one implementation.
 *
 * @param cpu which cpu-stream element runs them ({@code decode}, {@code detector},
 *     {@code face_detector}, {@code tracker}, {@code filter}, {@code http_push}); null = TPU only,
 *     so cpu-stream refuses a graph holding one by name
 * @param thresholdKeys the {@code configure} keys that carry the detection threshold, which
 *     {@link StandardFill} sets to the task's {@code threshold}
 * @param onnxLayout for detectors: the output layout of an ONNX export ({@code v5} [1,N,5+C] or
 *     {@code v8} [1,4+C,N]) when the config does not say
 * @param like an element name of another family whose cpu, thresholdKeys and onnxLayout this one
 *     takes (what {@code scripts/add_algorithm.sh --element=<new>:<like>} writes); null once read
 */
public record ElementFamily(
        List<String> names, String cpu, List<String> thresholdKeys, String onnxLayout, String like) {
    public ElementFamily {
        names = names == null ? List.of() : List.copyOf(names);
        thresholdKeys = thresholdKeys == null ? List.of() : List.copyOf(thresholdKeys);
    }

    /** True when cpu-stream has no implementation: the element needs a Sophgo box. */
    public boolean tpuOnly() {
        return cpu == null;
    }
}
