package sophon.bridge.cpustream.push;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.cpustream.frame.Frame;

/** http_push against a real loopback receiver: what is posted, in which order, over how many connections. */
class HttpPushElementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<Long> frameIds = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private volatile long answer503For = -1;

    private HttpUrl startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/push", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode j = JSON.readTree(body);
            long id = j.path("mFrame").path("mFrameId").asLong();
            frameIds.add(id);
            clientPorts.add(ex.getRemoteAddress().getPort());
            heads.add(ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + ex.getRequestHeaders().getFirst("Content-Length") + "=" + body.length + " "
                    + ex.getRequestHeaders().getFirst("Transfer-Encoding"));
            ex.sendResponseHeaders(id == answer503For ? 503 : 200, -1);
            ex.close();
        });
        server.start();
        return HttpUrl.get("http://127.0.0.1:" + server.getAddress().getPort() + "/push");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void push(HttpPushElement push, long frameId) {
        Frame f = new Frame(
                0, frameId, 1L, 64, 48, false, false, 25, 0, new Mat(48, 64, CV_8UC3, new Scalar(9, 9, 9, 0)));
        push.process(f, out -> {});
        f.release();
    }

    /** The channel's sender has ended and OkHttp left no non-daemon thread (its dispatcher's are not). */
    private static void assertNoThreadKeepsTheProcess(int channelId) {
        Set<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().equals("http_push-ch" + channelId)
                        || t.getName().contains("OkHttp") && !t.isDaemon())
                .map(Thread::getName)
                .collect(Collectors.toSet());
        assertEquals(Set.of(), left);
    }

    @Test
    void postsEveryFrameInOrderOverOneKeptConnectionWithAContentLength() throws Exception {
        HttpPushElement push = new HttpPushElement(0, startReceiver(), 16, 85, ErrorReporter.NONE);
        for (long id = 0; id < 6; id++) {
            push(push, id);
        }
        push.close();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), frameIds);
        assertNoThreadKeepsTheProcess(0);
        assertEquals(1, Set.copyOf(clientPorts).size(), "one keep-alive connection: " + clientPorts);
        for (String head : heads) {
            String[] p = head.split(" ");
            assertEquals("application/json", p[0]);
            String[] len = p[1].split("=");
            assertEquals(len[1], len[0], "Content-Length is the body's length");
            assertEquals("null", p[2], "not chunked");
        }
    }

    @Test
    void aFrameAnswered503IsCountedNotPostedAgainAndTheNextOnesGoOn() throws Exception {
        answer503For = 1;
        HttpPushElement push = new HttpPushElement(0, startReceiver(), 16, 85, ErrorReporter.NONE);
        for (long id = 0; id < 4; id++) {
            push(push, id);
        }
        push.close();
        assertEquals(List.of(0L, 1L, 2L, 3L), frameIds);
    }

    @Test
    void receiverDownFailsEachPostAndCloseLeavesNoThreadBehind() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HttpPushElement push =
                new HttpPushElement(7, HttpUrl.get("http://127.0.0.1:" + port + "/push"), 16, 85, ErrorReporter.NONE);
        for (long id = 0; id < 3; id++) {
            push(push, id);
        }
        long start = System.nanoTime();
        push.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5000, "refused posts fail fast, close took " + millis + " ms");
        assertNoThreadKeepsTheProcess(7);
    }
}
