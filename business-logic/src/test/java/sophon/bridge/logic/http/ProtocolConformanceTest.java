package sophon.bridge.logic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9112 points a review found wrong: each answer as a client on the wire sees it. */
class ProtocolConformanceTest {
    private EchoServer echo;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer(2, 5000);
    }

    @AfterEach
    void stop() {
        echo.close();
    }

    private Socket connect() throws IOException {
        return Wire.connect(echo.port(), 5000);
    }

    /** Sends request, expects status, then the connection closed. */
    private void refusedAndClosed(String request, int status) throws IOException {
        try (Socket s = connect()) {
            Wire.send(s, request);
            Wire.Response r = Wire.read(s.getInputStream());
            assertNotNull(r, "an answer, not a silent close, to: " + request);
            assertEquals(status, r.status(), request);
            assertTrue(r.body().contains("\"msg\""), "a one-sentence reason: " + r.body());
            assertEquals("close", r.headers().get("connection"), request);
            assertEquals(null, Wire.read(s.getInputStream()), "closed after " + request);
        }
    }

    @Test
    void chunkedFramingErrorsAreAnswered400() throws IOException {
        String head = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        refusedAndClosed(head + "zz\r\nhello\r\n0\r\n\r\n", 400); // not a hex size
        refusedAndClosed(head + "5\r\nhelloXX0\r\n\r\n", 400); // chunk data not followed by CRLF
        refusedAndClosed(head + "\r\n", 400); // empty size line
        assertTrue(echo.bodies.isEmpty());
    }

    @Test
    void http10KeepAliveIsConfirmedWhenTheConnectionIsKept() throws IOException {
        try (Socket s = connect()) {
            InputStream in = s.getInputStream();
            Wire.send(s, "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi");
            Wire.Response r = Wire.read(in);
            assertEquals(200, r.status());
            assertEquals(
                    "keep-alive", r.headers().get("connection"), "an HTTP/1.0 client closes unless told otherwise");
            Wire.send(s, "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nho");
            assertEquals("keep-alive", Wire.read(in).headers().get("connection"));
            Wire.send(s, "POST /echo HTTP/1.0\r\nContent-Length: 2\r\n\r\nhu");
            assertEquals("close", Wire.read(in).headers().get("connection"));
            assertEquals(null, Wire.read(in));
        }
        assertEquals(List.of("hi", "ho", "hu"), echo.bodies);
    }

    @Test
    void expect100ContinueIsIgnoredForHttp10() throws IOException {
        try (Socket s = connect()) {
            // A 1.0 client does not know 100 Continue: it sends its body at once and reads one answer.
            Wire.send(s, "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody");
            Wire.Response r = Wire.read(s.getInputStream());
            assertEquals(200, r.status(), "no interim 100 to an HTTP/1.0 request");
            assertEquals(null, Wire.read(s.getInputStream()));
        }
        assertEquals(List.of("body"), echo.bodies);
    }

    @Test
    void connectionIsATokenListAndCloseWins() throws IOException {
        for (String value : List.of("keep-alive, close", "close, keep-alive", "Keep-Alive ,CLOSE", "upgrade,close")) {
            try (Socket s = connect()) {
                Wire.send(s, Wire.post("/echo", "x", "Connection: " + value + "\r\n"));
                Wire.Response r = Wire.read(s.getInputStream());
                assertEquals(200, r.status());
                assertEquals("close", r.headers().get("connection"), value);
                assertEquals(null, Wire.read(s.getInputStream()), "closed after Connection: " + value);
            }
        }
        try (Socket s = connect()) {
            Wire.send(
                    s,
                    "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx");
            assertEquals("close", Wire.read(s.getInputStream()).headers().get("connection"), "two Connection lines");
        }
    }

    @Test
    void whitespaceBeforeTheColonAndAMissingHostAre400() throws IOException {
        refusedAndClosed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello", 400);
        refusedAndClosed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length\t: 5\r\n\r\nhello", 400);
        refusedAndClosed("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 400);
        refusedAndClosed("POST /echo HTTP/1.1\r\nHost: x\r\nHost: y\r\nContent-Length: 5\r\n\r\nhello", 400);
        assertTrue(echo.bodies.isEmpty(), "nothing taken: " + echo.bodies);
        // HTTP/1.0 predates Host: still served
        try (Socket s = connect()) {
            Wire.send(s, "POST /echo HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals(200, Wire.read(s.getInputStream()).status());
        }
    }

    @Test
    void theConnectionLimitRefusalReachesAClientThatIsStillSending() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < KeepAliveServer.MAX_CONNECTIONS; i++) {
                held.add(connect());
            }
            // every held connection has its own thread; wait until the server counts them all
            Wire.send(held.get(held.size() - 1), Wire.post("/echo", "last"));
            assertEquals(
                    200, Wire.read(held.get(held.size() - 1).getInputStream()).status());
            // a frame-sized post, written whole before the answer is read, as HTTP clients do: more than
            // the socket buffers take, so the write is still going when the refusal comes
            String frame = Wire.post("/echo", "y".repeat(300_000));
            for (int round = 0; round < 20; round++) {
                try (Socket s = connect()) {
                    Wire.send(s, frame);
                    Wire.Response r = Wire.read(s.getInputStream());
                    assertNotNull(r, "round " + round);
                    assertEquals(503, r.status(), "round " + round);
                } catch (java.net.SocketException e) {
                    throw new AssertionError("round " + round + ": the 503 was lost: " + e, e);
                }
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
