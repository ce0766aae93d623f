package sophon.bridge.logic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/** Reporting against real WireMock receivers over loopback, from an in-process business-logic. */
class ReportingTest {
    private static final String PATH = "/api/upload";
    private static final String OK = "{\"Code\":0,\"Msg\":\"ok\"}";

    @TempDir
    Path dir;

    private final List<WireMockServer> receivers = new ArrayList<>();
    private LogicProcess process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.close();
        }
        receivers.forEach(WireMockServer::stop);
    }

    private WireMockServer receiver(int status, String body, int delayMs) {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        stub(server, status, body, delayMs);
        receivers.add(server);
        return server;
    }

    private static void stub(WireMockServer server, int status, String body, int delayMs) {
        server.resetMappings();
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)
                        .withFixedDelay(delayMs)));
    }

    private static String url(WireMockServer s) {
        return "http://127.0.0.1:" + s.port() + PATH;
    }

    private int start(List<String> urls) throws Exception {
        AlgorithmSpec spec = Fixtures.everyFrame();
        TaskRequest task = Fixtures.task("1001", spec, urls);
        Fixtures.writeTask(dir, task);
        process = LogicProcess.start(
                Fixtures.options(dir, 0, null),
                task,
                AlgorithmRegistry.load().plugin(3).orElseThrow());
        return process.port();
    }

    /** Frame indexes of the alarms a receiver accepted (answered 200 with Code 0), request by request. */
    private static List<List<Long>> accepted(WireMockServer server) throws Exception {
        List<List<Long>> out = new ArrayList<>();
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        for (ServeEvent e : events) {
            if (e.getResponse().getStatus() != 200
                    || !e.getResponse().getBodyAsString().contains("\"Code\":0")) {
                continue;
            }
            JsonNode array = Fixtures.JSON.readTree(e.getRequest().getBodyAsString());
            assertTrue(array.isArray(), "alarms are posted as a JSON array");
            assertTrue(e.getRequest().getHeader("Content-Type").startsWith("application/json"));
            List<Long> frames = new ArrayList<>();
            array.forEach(a -> frames.add(a.get("FrameIndex").asLong()));
            out.add(frames);
        }
        return out;
    }

    private static List<Long> flat(List<List<Long>> requests) {
        List<Long> all = new ArrayList<>();
        requests.forEach(all::addAll);
        return all;
    }

    private static List<Long> range(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Long> sorted(List<Long> in) {
        List<Long> out = new ArrayList<>(in);
        out.sort(null);
        return out;
    }

    @Test
    void roundRobinOverThreeReceivers() throws Exception {
        WireMockServer a = receiver(200, OK, 0);
        WireMockServer b = receiver(200, OK, 0);
        WireMockServer c = receiver(200, OK, 0);
        int port = start(List.of(url(a), url(b), url(c)));
        for (int i = 0; i < 9; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
            long delivered = i + 1;
            Fixtures.await(
                    "alarm " + i,
                    10_000,
                    () -> process.counters().alarmsDelivered.sum() == delivered);
        }
        // one at a time, so strictly in turn: a gets 0, 3, 6; b 1, 4, 7; c 2, 5, 8
        assertEquals(List.of(0L, 3L, 6L), flat(accepted(a)));
        assertEquals(List.of(1L, 4L, 7L), flat(accepted(b)));
        assertEquals(List.of(2L, 5L, 8L), flat(accepted(c)));
        JsonNode counters = Fixtures.counters(port);
        assertEquals(9, counters.get("alarmsProduced").asInt());
        assertEquals(0, counters.get("alarmsQueued").asInt());
        assertEquals(0, counters.get("alarmsFailed").asInt());
        assertEquals(60, counters.get("alarmLatencyWindowSeconds").asInt());
        assertEquals(9, counters.get("alarmLatencyWindowCount").asInt());
        assertTrue(counters.get("alarmLatencyWindowP99Ms").asDouble() > 0);
        assertTrue(counters.get("alarmLatencyWindowP99Ms").asDouble()
                <= counters.get("alarmLatencyP99Ms").asDouble());
        assertTrue(counters.get("alarmBuildWindowP99Ms").asDouble() > 0);
        JsonNode histogram = counters.get("alarmLatencyHistogram");
        long bucketed = 0;
        for (JsonNode n : histogram.get("counts")) {
            bucketed += n.asLong();
        }
        assertEquals(9, bucketed, "every delivered alarm is in one bucket: " + histogram);
        assertEquals(
                histogram.get("boundsMs").size() + 1, histogram.get("counts").size());
        assertTrue(histogram.get("sumMs").asDouble() > 0);
        assertEquals(0, counters.get("outboxBytes").asLong(), "all delivered");
        assertTrue(counters.get("lastFrameAgeMs").asLong() >= 0);
        Thread.sleep(1100);
        JsonNode later = Fixtures.json(Fixtures.get(port, "/counters?window=1"));
        assertEquals(0, later.get("alarmLatencyWindowCount").asInt(), "no frame arrived in the last second");
        assertEquals(-1, later.get("alarmLatencyWindowP99Ms").asInt());
        assertEquals(
                9,
                Fixtures.json(Fixtures.get(port, "/counters?window=3600"))
                        .get("alarmLatencyWindowCount")
                        .asInt());
        assertEquals(400, Fixtures.get(port, "/counters?window=0").statusCode());
        assertEquals(400, Fixtures.get(port, "/counters?window=abc").statusCode());
    }

    @Test
    void oneReceiverDownIsSkippedAndEveryAlarmArrivesOnce() throws Exception {
        WireMockServer a = receiver(200, OK, 0);
        WireMockServer b = receiver(200, OK, 0);
        String down = "http://127.0.0.1:" + Fixtures.freePort() + PATH;
        int port = start(List.of(url(a), down, url(b)));
        for (int i = 0; i < 12; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
        }
        Fixtures.await(
                "12 deliveries",
                15_000,
                () -> process.counters().alarmsDelivered.sum() == 12);
        List<Long> all = new ArrayList<>(flat(accepted(a)));
        all.addAll(flat(accepted(b)));
        assertEquals(range(12), sorted(all), "each alarm exactly once");
        assertTrue(!accepted(a).isEmpty() && !accepted(b).isEmpty(), "both live receivers get their turns");
        JsonNode counters = Fixtures.counters(port);
        assertTrue(counters.get("alarmsFailed").asInt() >= 1);
        assertTrue(counters.get("lastDeliveryError").asText().contains(down), counters.toString());
    }

    @Test
    void allReceiversDownForAWhileThenBackGetEverythingOnceBatched() throws Exception {
        WireMockServer a = receiver(503, "busy", 0);
        WireMockServer b = receiver(503, "busy", 0);
        int port = start(List.of(url(a), url(b)));
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
        }
        Fixtures.await("failures", 10_000, () -> process.counters().alarmsFailed.sum() >= 2);
        Fixtures.await(
                "10 queued", 10_000, () -> process.counters().alarmsProduced.sum() == 10);
        assertEquals(10, Fixtures.counters(port).get("alarmsQueued").asInt());
        assertEquals(0, process.counters().alarmsDelivered.sum());
        stub(a, 200, OK, 0);
        stub(b, 200, OK, 0);
        Fixtures.await(
                "10 deliveries",
                40_000,
                () -> process.counters().alarmsDelivered.sum() == 10);
        List<List<Long>> requests = new ArrayList<>(accepted(a));
        requests.addAll(accepted(b));
        assertEquals(range(10), sorted(flat(requests)), "each alarm exactly once");
        assertTrue(requests.stream().anyMatch(r -> r.size() > 1), "a backlog goes several alarms per request");
        assertEquals(0, Fixtures.counters(port).get("alarmsQueued").asInt());
    }

    @Test
    void codeMinusOneAnswersAreFailuresAndTheAlarmGoesElsewhere() throws Exception {
        WireMockServer refusing = receiver(200, "{\"Code\":-1,\"Msg\":\"AnalyzeEvents is empty\"}", 0);
        WireMockServer good = receiver(200, OK, 0);
        int port = start(List.of(url(refusing), url(good)));
        for (int i = 0; i < 4; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
        }
        Fixtures.await(
                "4 deliveries", 15_000, () -> process.counters().alarmsDelivered.sum() == 4);
        assertEquals(range(4), sorted(flat(accepted(good))));
        assertTrue(refusing.getAllServeEvents().size() >= 1);
        JsonNode counters = Fixtures.counters(port);
        assertTrue(counters.get("alarmsFailed").asInt() >= 1);
        assertEquals(
                "HTTP 200 with Code -1 (AnalyzeEvents is empty) from " + url(refusing),
                counters.get("lastDeliveryError").asText());
    }

    @Test
    void aSlowReceiverNeverSlowsTheFrameAnswers() throws Exception {
        WireMockServer slow = receiver(200, OK, 1200);
        int port = start(List.of(url(slow)));
        long worst = 0;
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i));
            worst = Math.max(worst, System.nanoTime() - t0);
            assertEquals(200, r.statusCode());
            Thread.sleep(100);
        }
        assertTrue(worst < 500_000_000L, "frame answers wait for no report: worst " + worst / 1_000_000 + " ms");
        Fixtures.await(
                "6 deliveries", 20_000, () -> process.counters().alarmsDelivered.sum() == 6);
        assertEquals(range(6), sorted(flat(accepted(slow))));
    }

    /** Frame indexes of the alarms posted to a receiver, request by request, whatever it answered. */
    private static List<List<Long>> posted(WireMockServer server) throws Exception {
        List<List<Long>> out = new ArrayList<>();
        for (ServeEvent e : seen(server, PATH)) {
            List<Long> frames = new ArrayList<>();
            Fixtures.JSON
                    .readTree(e.getRequest().getBodyAsString())
                    .forEach(a -> frames.add(a.get("FrameIndex").asLong()));
            out.add(frames);
        }
        return out;
    }

    /** Requests the receiver saw on a path, whatever their method. */
    private static List<ServeEvent> seen(WireMockServer server, String path) {
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith(path))
                .toList();
    }

    @Test
    void aRedirectToALoginPageIsNotADeliveryAndIsNotFollowed() throws Exception {
        WireMockServer portal = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        portal.start();
        receivers.add(portal);
        String login = "http://127.0.0.1:" + portal.port() + "/login?next=/api/upload";
        portal.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(302).withHeader("Location", login)));
        portal.stubFor(any(urlEqualTo("/login?next=/api/upload"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><form>Sign in</form></html>")));
        String withCredentials = "http://reporter:s3cret@127.0.0.1:" + portal.port() + PATH;
        int port = start(List.of(withCredentials));
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
        }
        Fixtures.await(
                "5 alarms stored",
                10_000,
                () -> process.counters().alarmsProduced.sum() == 5);
        Fixtures.await(
                "every alarm tried, three attempts",
                10_000,
                () -> seen(portal, PATH).size() >= 3
                        && process.counters().alarmsFailed.sum() >= 5);
        JsonNode counters = Fixtures.counters(port);
        assertEquals(0, counters.get("alarmsDelivered").asInt(), counters.toString());
        assertEquals(5, counters.get("alarmsQueued").asInt(), counters.toString());
        assertEquals(List.of(), seen(portal, "/login"), "the redirect is never followed");
        String error = counters.get("lastDeliveryError").asText();
        assertEquals(
                "HTTP 302 from http://reporter:***@127.0.0.1:" + portal.port() + PATH + ", a redirect to " + login
                        + " (not followed)",
                error);
        assertFalse(error.contains("s3cret"), error);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 307, 400, 404, 500, 503})
    void aNon2xxAnswerIsAFailureRetriedWithBackoff(int status) throws Exception {
        WireMockServer receiver = receiver(status, "{\"Code\":0,\"Msg\":\"ok\"}", 0);
        receiver.stubFor(any(urlEqualTo("/elsewhere")).willReturn(okJson(OK)));
        if (status < 400) {
            stub(receiver, status, "", 0);
            receiver.stubFor(post(urlEqualTo(PATH))
                    .willReturn(aResponse()
                            .withStatus(status)
                            .withHeader("Location", "http://127.0.0.1:" + receiver.port() + "/elsewhere")));
        }
        int port = start(List.of(url(receiver)));
        assertEquals(
                200, Fixtures.post(port, "/frames", Fixtures.alarmingFrame(0)).statusCode());
        Fixtures.await("a first attempt", 10_000, () -> !seen(receiver, PATH).isEmpty());
        long first = System.nanoTime();
        Thread.sleep(2500);
        int attempts = seen(receiver, PATH).size();
        // backoff 0.5, 1, 2 s: attempts at 0, 0.5 and 1.5 s, the next at 3.5 s (4 allows for scheduling)
        assertTrue(
                attempts >= 2 && attempts <= 4,
                attempts + " attempts in " + (System.nanoTime() - first) / 1_000_000 + " ms");
        assertEquals(List.of(), seen(receiver, "/elsewhere"), "the redirect is never followed");
        JsonNode counters = Fixtures.counters(port);
        assertEquals(0, counters.get("alarmsDelivered").asInt(), counters.toString());
        assertEquals(1, counters.get("alarmsQueued").asInt(), counters.toString());
        assertEquals(attempts, counters.get("alarmsFailed").asInt(), counters.toString());
        assertTrue(
                counters.get("lastDeliveryError").asText().startsWith("HTTP " + status + " from " + url(receiver)),
                counters.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void every2xxAnswerIsADelivery(int status) throws Exception {
        WireMockServer receiver = receiver(status, status == 204 ? "" : OK, 0);
        int port = start(List.of(url(receiver)));
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.alarmingFrame(i)).statusCode());
        }
        // A delivery is counted when the answer comes, then the batch leaves the outbox.
        Fixtures.await(
                "3 deliveries, out of the outbox",
                10_000,
                () -> process.counters().alarmsDelivered.sum() == 3
                        && process.counters().queued() == 0);
        JsonNode counters = Fixtures.counters(port);
        assertEquals(0, counters.get("alarmsFailed").asInt(), counters.toString());
        assertEquals(range(3), sorted(flat(posted(receiver))), "each alarm posted once");
    }
}
