package sophon.bridge.cpustream.config;

/** An {ip, port, path} triple as used by http_report, http_listen and http_push. */
public record Endpoint(String ip, int port, String path) {
    public String url() {
        String p = path == null || path.isEmpty() ? "/" : (path.startsWith("/") ? path : "/" + path);
        String host = "0.0.0.0".equals(ip) ? "127.0.0.1" : ip;
        return "http://" + host + ":" + port + p;
    }
}
