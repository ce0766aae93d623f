package sophon.bridge.algorithm;

/**
 * One entry of the type map: application-web's type id, our algorithm name (also the template
 * folder in {@code stream-graphs/} and the config file prefix), and the plugin class.
 */
public record AlgorithmType(int type, String name, String plugin) {}
