package sophon.bridge.cpustream.config;

import com.fasterxml.jackson.databind.JsonNode;

/** One graph element after its element_config file has been read. */
public record ElementSpec(
        int elementId,
        String name,
        JsonNode configure,
        String configPath,
        boolean source,
        boolean sink,
        int threadNumber) {}
