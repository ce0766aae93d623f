package sophon.bridge.logic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request a byte at a time (each byte well inside any per-read timeout) can
 * neither take the request slots from the cameras nor hold their connection past the
 * whole-request deadline.
 */
class SlowClientTest {
    private static final int SLOTS = 4;
    private static final int DEADLINE_MS = 2000;
    private static final int HEAD_TRICKLERS = 2;
    private static final int BYTE_EVERY_MS = 250;

    /** Sends one request a byte every BYTE_EVERY_MS until the server closes; returns ms until closed. */
    private static long trickle(Socket s, String request) {
        long start = System.nanoTime();
        try {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(BYTE_EVERY_MS);
                if (in.available() > 0) {
                    break; // answered (a 408): the server is done with it
                }
            }
            Wire.Response r = Wire.read(in);
            if (r != null) {
                assertEquals(408, r.status(), "a request cut off by its deadline");
                assertEquals(null, Wire.read(in), "closed after the 408");
            }
        } catch (IOException e) {
            // a reset or a broken pipe: the server closed on us, which is the point
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void tricklingClientsDoNotBlockFramesAndAreCutOffAtTheDeadline() throws Exception {
        try (EchoServer echo = new EchoServer(SLOTS, DEADLINE_MS)) {
            List<Socket> tricklers = new ArrayList<>();
            ConcurrentLinkedQueue<Long> closedAfterMs = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(SLOTS + HEAD_TRICKLERS);
            try {
                for (int i = 0; i < SLOTS + HEAD_TRICKLERS; i++) {
                    Socket s = Wire.connect(echo.port(), 30_000);
                    tricklers.add(s);
                    // one per slot trickles its body (its head complete, so a server that takes the slot
                    // before the body gives it away), the others their head
                    String request = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n" + "b".repeat(200);
                    int headLength = request.indexOf("\r\n\r\n") + 4;
                    if (i < SLOTS) {
                        Wire.send(s, request.substring(0, headLength));
                        request = request.substring(headLength);
                    }
                    String rest = request;
                    Thread t = new Thread(() -> {
                        closedAfterMs.add(trickle(s, rest));
                        done.countDown();
                    });
                    t.setDaemon(true);
                    t.start();
                }
                Thread.sleep(500); // every trickler has its request under way
                try (Socket camera = Wire.connect(echo.port(), 5000)) {
                    for (int i = 0; i < 20; i++) {
                        long start = System.nanoTime();
                        Wire.send(camera, Wire.post("/echo", "frame " + i));
                        Wire.Response r = Wire.read(camera.getInputStream());
                        long ms = (System.nanoTime() - start) / 1_000_000;
                        assertEquals(200, r.status());
                        assertTrue(ms < 1000, "frame " + i + " answered after " + ms + " ms");
                    }
                }
                assertTrue(
                        done.await(DEADLINE_MS + 5000, java.util.concurrent.TimeUnit.MILLISECONDS),
                        "tricklers still connected " + (DEADLINE_MS + 5000) + " ms later");
                for (long ms : closedAfterMs) {
                    // head tricklers start their deadline with their first byte, body tricklers a little earlier
                    assertTrue(
                            ms >= DEADLINE_MS - 1000 && ms <= DEADLINE_MS + 1500,
                            "a trickler was cut off after " + ms + " ms, deadline " + DEADLINE_MS + " ms");
                }
            } finally {
                for (Socket s : tricklers) {
                    s.close();
                }
            }
            assertEquals(20, echo.bodies.size(), "only the camera's frames were taken: " + echo.bodies);
        }
    }

    @Test
    void aRequestThatFindsNoSlotBeforeItsDeadlineIsAnswered503AndKeepsItsConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        KeepAliveServer server = new KeepAliveServer(
                "127.0.0.1",
                0,
                new KeepAliveServer.Limits(1, KeepAliveServer.MAX_CONNECTIONS, 10_000, 1000, 64 * 1024),
                java.util.Map.of(
                        "/hold",
                                new KeepAliveServer.Route("POST", 100, ex -> {
                                    holding.countDown();
                                    try {
                                        release.await();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    ex.answer(Status.OK, "{}".getBytes(StandardCharsets.UTF_8));
                                }),
                        "/quick",
                                new KeepAliveServer.Route(
                                        "POST",
                                        100,
                                        ex -> ex.answer(Status.OK, "{}".getBytes(StandardCharsets.UTF_8)))),
                (path, reason) -> {});
        server.start();
        try (Socket holder = Wire.connect(server.port(), 5000);
                Socket waiter = Wire.connect(server.port(), 5000)) {
            Wire.send(holder, Wire.post("/hold", "h"));
            assertTrue(holding.await(5, java.util.concurrent.TimeUnit.SECONDS));
            long start = System.nanoTime();
            Wire.send(waiter, Wire.post("/quick", "q"));
            Wire.Response busy = Wire.read(waiter.getInputStream());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, busy.status());
            assertTrue(busy.body().contains("slots"), busy.body());
            assertTrue(ms >= 800 && ms <= 2500, "answered after " + ms + " ms, deadline 1000 ms");
            release.countDown();
            assertEquals(200, Wire.read(holder.getInputStream()).status());
            // its body was read: the connection is still good
            Wire.send(waiter, Wire.post("/quick", "again"));
            assertEquals(200, Wire.read(waiter.getInputStream()).status());
        } finally {
            release.countDown();
            server.close();
        }
    }
}
