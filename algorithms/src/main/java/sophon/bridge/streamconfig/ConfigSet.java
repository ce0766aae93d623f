package sophon.bridge.streamconfig;

/** Placeholder: the config set copied into a task's folder (demo config, graph, element configs). */
public final class ConfigSet {
}
