package sophon.bridge.cpustream.config;

import java.util.List;
import java.util.Map;

/** One graph: its elements by id and, for each element, the ids it sends frames to. */
public record GraphSpec(
        int graphId,
        String graphName,
        Map<Integer, ElementSpec> elements,
        Map<Integer, List<Integer>> downstream,
        int sourceId) {}
