package sophon.bridge.cpustream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A loopback HTTP receiver for http_push (/push) and http_report (/report), as the business-logic process would be. */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final List<JsonNode> reports = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile long delayMillis;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/push", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            frames.add(body);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/errors", ex -> {
            reports.add(JSON.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/report", ex -> {
            reports.add(JSON.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    void slowDown(long millis) {
        delayMillis = millis;
    }

    int port() {
        return server.getAddress().getPort();
    }

    boolean reported(String code) {
        return reports.stream().anyMatch(r -> code.equals(r.path("error").asText()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
