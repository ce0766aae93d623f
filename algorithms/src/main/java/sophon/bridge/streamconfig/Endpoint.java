package sophon.bridge.streamconfig;

/** An HTTP endpoint as sophon-stream configs spell it: {@code ip}, {@code port}, {@code path}. */
public record Endpoint(String ip, int port, String path) {}
