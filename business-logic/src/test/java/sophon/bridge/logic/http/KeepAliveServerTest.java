package sophon.bridge.logic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 protocol as http_push, curl and the JDK's clients speak it, over raw sockets:
 * keep-alive, pipelining, chunked bodies, 100-continue, limits, and refusals that close the
 * connection instead of mistaking an unread body for the next request.
 */
class KeepAliveServerTest {
    private static final int LIMIT = 1000;
    private KeepAliveServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new KeepAliveServer(
                "127.0.0.1",
                0,
                new KeepAliveServer.Limits(2, KeepAliveServer.MAX_CONNECTIONS, 5000, 2000, 64 * 1024),
                Map.of(
                        "/echo",
                                new KeepAliveServer.Route("POST", LIMIT, ex -> {
                                    String body = new String(ex.body(), 0, ex.bodyLength(), StandardCharsets.UTF_8);
                                    bodies.add(body);
                                    ex.answer(
                                            Status.OK,
                                            ("{\"len\":" + ex.bodyLength() + ",\"q\":\"" + ex.rawQuery() + "\"}")
                                                    .getBytes(StandardCharsets.UTF_8));
                                }),
                        "/fail",
                                new KeepAliveServer.Route("GET", 0, ex -> {
                                    throw new IllegalStateException("route bug");
                                })),
                (path, reason) -> {});
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A response read off the wire: status, headers (lower-case names) and body. */
    private record Response(int status, Map<String, String> headers, String body) {}

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        java.util.HashMap<String, String> headers = new java.util.HashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(),
                    h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(
                Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String post(String path, String body, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers) + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        try (Socket s = connect()) {
            send(s, post("/echo?a=1", "first"));
            Response r = read(s.getInputStream());
            assertEquals(200, r.status());
            assertEquals("{\"len\":5,\"q\":\"a=1\"}", r.body());
            // two requests in one write, the second cut across a packet boundary
            String two = post("/echo", "second") + post("/echo", "third");
            send(s, two.substring(0, two.length() - 3));
            Thread.sleep(50);
            send(s, two.substring(two.length() - 3));
            assertEquals("{\"len\":6,\"q\":\"null\"}", read(s.getInputStream()).body());
            assertEquals("{\"len\":5,\"q\":\"null\"}", read(s.getInputStream()).body());
        }
        assertEquals(List.of("first", "second", "third"), bodies);
    }

    @Test
    void chunkedBodiesAreReassembled() throws Exception {
        try (Socket s = connect()) {
            send(
                    s,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\n");
            Response r = read(s.getInputStream());
            assertEquals(200, r.status());
            assertEquals("{\"len\":12,\"q\":\"null\"}", r.body());
            // the connection is still good afterwards
            send(s, post("/echo", "next"));
            assertEquals(200, read(s.getInputStream()).status());
        }
        assertEquals(List.of("hello, world", "next"), bodies);
    }

    @Test
    void expectContinueGetsAnInterimAnswerBeforeTheBodyIsSent() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            Response interim = read(s.getInputStream());
            assertEquals(100, interim.status());
            send(s, "body");
            Response r = read(s.getInputStream());
            assertEquals(200, r.status());
        }
        assertEquals(List.of("body"), bodies);
    }

    @Test
    void anOversizedBodyIsRefusedFromItsHeadersAndTheConnectionClosed() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
            Response r = read(s.getInputStream());
            assertEquals(413, r.status(), "no 100 Continue for a body that will not be read");
            assertEquals("close", r.headers().get("connection"));
            assertEquals(null, read(s.getInputStream()), "closed: the unread body is not taken for a request");
        }
        try (Socket s = connect()) {
            StringBuilder chunks =
                    new StringBuilder("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                chunks.append("190\r\n").append("x".repeat(400)).append("\r\n");
            }
            send(s, chunks + "0\r\n\r\n");
            assertEquals(413, read(s.getInputStream()).status());
        }
        assertTrue(bodies.isEmpty());
    }

    @Test
    void wrongMethodUnknownPathAndFailingRouteGetClearAnswers() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = read(s.getInputStream());
            assertEquals(405, r.status());
            assertEquals("POST", r.headers().get("allow"));
            send(s, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(404, read(s.getInputStream()).status());
            send(s, "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
            Response failed = read(s.getInputStream());
            assertEquals(500, failed.status());
            assertTrue(failed.body().contains("IllegalStateException"));
        }
    }

    @Test
    void malformedRequestsAreRefusedAndClosed() throws Exception {
        String[][] cases = {
            {"garbage\r\n\r\n", "400"},
            {"POST /echo HTTP/2.0\r\nContent-Length: 1\r\n\r\nx", "505"},
            {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400"},
            {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n", "400"},
            {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", "400"},
            {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "501"},
            {"GET /echo HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(20_000) + "\r\n\r\n", "431"},
        };
        for (String[] c : cases) {
            try (Socket s = connect()) {
                send(s, c[0]);
                Response r = read(s.getInputStream());
                assertEquals(Integer.parseInt(c[1]), r.status(), c[0].substring(0, Math.min(40, c[0].length())));
                assertEquals(null, read(s.getInputStream()), "closed after " + c[1]);
            }
        }
        assertTrue(bodies.isEmpty());
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi");
            Response r = read(s.getInputStream());
            assertEquals(200, r.status());
            assertEquals("close", r.headers().get("connection"));
            assertEquals(null, read(s.getInputStream()));
        }
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi");
            assertEquals(200, read(s.getInputStream()).status());
            send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\nho");
            assertEquals(200, read(s.getInputStream()).status());
            assertEquals(null, read(s.getInputStream()));
        }
    }

    @Test
    void manyConnectionsAreServedAtOnceAndAClientThatStopsMidBodyIsDropped() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            Socket stalled = connect();
            open.add(stalled);
            send(stalled, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part");
            for (int i = 0; i < 20; i++) {
                Socket s = connect();
                open.add(s);
                send(s, post("/echo", "c" + i));
            }
            for (int i = 1; i <= 20; i++) {
                assertEquals(200, read(open.get(i).getInputStream()).status(), "connection " + i);
            }
            // the stalled request holds no slot, and is cut off at its deadline (2 s here)
            assertEquals(408, read(stalled.getInputStream()).status());
            assertEquals(null, read(stalled.getInputStream()));
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
