package sophon.bridge.cpustream.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.config.ConfigException;
import sophon.bridge.cpustream.config.ConfigLoader;
import sophon.bridge.cpustream.config.Endpoint;

/**
 * http_listen: POST /stream/addChannel and /stream/stopChannel, answering {"code":0,"msg":"success"}
 * or a non-zero code with the reason. Bound to loopback; bodies are capped at 64 KiB.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Engine engine;

    public ControlServer(Endpoint listen, Engine engine) throws IOException {
        this.engine = engine;
        InetAddress bind = InetAddress.getByName(listen.ip());
        if (!bind.isLoopbackAddress()) {
            LOG.warn("http_listen ip {} is not loopback; binding 127.0.0.1 instead", listen.ip());
            bind = InetAddress.getLoopbackAddress();
        }
        server = HttpServer.create(new InetSocketAddress(bind, listen.port()), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "http_listen");
            t.setDaemon(true);
            return t;
        }));
        String prefix = listen.path() == null || listen.path().equals("/")
                ? ""
                : listen.path().replaceAll("/+$", "");
        for (String base : prefix.isEmpty() ? new String[] {""} : new String[] {"", prefix}) {
            server.createContext(base + "/stream/addChannel", ex -> handle(ex, true));
            server.createContext(base + "/stream/stopChannel", ex -> handle(ex, false));
        }
        server.start();
        LOG.info(
                "http_listen on {}:{}",
                bind.getHostAddress(),
                server.getAddress().getPort());
    }

    private void handle(HttpExchange ex, boolean add) throws IOException {
        int code = 0;
        String msg = "success";
        try {
            if (!"POST".equals(ex.getRequestMethod())) {
                throw new ConfigException("use POST");
            }
            JsonNode body = JSON.readTree(readBounded(ex.getRequestBody()));
            if (body == null || !body.isObject()) {
                throw new ConfigException("the body must be a JSON object");
            }
            if (add) {
                engine.addChannel(ConfigLoader.channel(body, "addChannel"));
            } else {
                if (!body.path("channel_id").canConvertToInt()) {
                    throw new ConfigException("stopChannel needs an integer channel_id");
                }
                if (!engine.stopChannel(body.get("channel_id").asInt())) {
                    throw new ConfigException(
                            "channel " + body.get("channel_id").asInt() + " is not running");
                }
            }
        } catch (ConfigException e) {
            code = 1;
            msg = e.getMessage();
        } catch (IOException e) {
            code = 1;
            msg = "the body is not valid JSON or too large: " + e.getMessage();
        }
        LOG.info("http_listen {} -> code {} {}", ex.getRequestURI().getPath(), code, msg);
        byte[] out =
                JSON.writeValueAsBytes(JSON.createObjectNode().put("code", code).put("msg", msg));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private static String readBounded(InputStream in) throws IOException {
        byte[] data = in.readNBytes(MAX_BODY + 1);
        if (data.length > MAX_BODY) {
            throw new IOException("body larger than " + MAX_BODY + " bytes");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
