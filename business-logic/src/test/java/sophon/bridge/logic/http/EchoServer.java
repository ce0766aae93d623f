package sophon.bridge.logic.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A KeepAliveServer on loopback with POST /echo (bodies up to 1000 bytes), as the protocol tests use it. */
final class EchoServer implements AutoCloseable {
    static final int LIMIT = 1000;
    final KeepAliveServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    /** "path: reason" of every request to /echo refused before it was handled. */
    final List<String> refusals = new CopyOnWriteArrayList<>();

    EchoServer(int slots, int requestDeadlineMs) throws IOException {
        server = new KeepAliveServer(
                "127.0.0.1",
                0,
                new KeepAliveServer.Limits(
                        slots, KeepAliveServer.MAX_CONNECTIONS, 10_000, requestDeadlineMs, 64 * 1024),
                Map.of("/echo", new KeepAliveServer.Route("POST", LIMIT, ex -> {
                    String body = new String(ex.body(), 0, ex.bodyLength(), StandardCharsets.UTF_8);
                    bodies.add(body);
                    ex.answer(Status.OK, ("{\"len\":" + ex.bodyLength() + "}").getBytes(StandardCharsets.UTF_8));
                })),
                (path, reason) -> refusals.add(path + ": " + reason));
        server.start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
