package sophon.bridge.logic.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A KeepAliveServer alone in a JVM, for AcceptBackoffTest to run under a small file-descriptor
 * limit: prints {@code port=N} once listening, then serves GET /health until killed.
 */
public final class AcceptLoopChild {
    private AcceptLoopChild() {}

    public static void main(String[] args) throws Exception {
        KeepAliveServer server = new KeepAliveServer(
                "127.0.0.1",
                0,
                new KeepAliveServer.Limits(2, KeepAliveServer.MAX_CONNECTIONS, 60_000, 30_000, 1024 * 1024),
                Map.of(
                        "/health",
                        new KeepAliveServer.Route(
                                "GET",
                                0,
                                ex -> ex.answer(Status.OK, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8)))),
                (path, reason) -> {});
        server.start();
        System.out.println("port=" + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
