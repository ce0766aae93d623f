package sophon.bridge.cpustream.config;

import java.util.List;
import java.util.Map;

/** The whole of what --demo_config_path names, with every referenced file read and checked. */
public record DemoConfig(
        List<ChannelSpec> channels, Map<Integer, GraphSpec> graphs, Endpoint httpReport, Endpoint httpListen) {}
