package sophon.bridge.server.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;

/**
 * No sophon-stream root: the server runs the bundled cpu-stream engine on a real video. A tripwire
 * task on vtest.avi (people walking across a vertical line) goes from create to alarms at the
 * report receiver, through the real stream, http_push, business logic and reporter.
 */
class CpuStreamEndToEndTest {
    static final Path HOME = AppHome.find();
    static final Path VTEST = HOME.resolve("../shared/testdata/vtest.avi").normalize();

    @TempDir
    Path tmp;

    @Test
    void tripwireOnARealVideoReachesTheReportReceiver() throws Exception {
        WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        Path data = tmp.resolve("data");
        try (BridgeServer server = BridgeServer.start(
                ServerOptions.parse(new String[] {"--port=0", "--data-dir=" + data}, Map.of()), HOME)) {
            ApiClient api = new ApiClient(server.port());
            assertTrue(api.get("/health").result().path("Engine").asText().startsWith("cpu-stream"));
            String body = tripwireOnVtest("cpu-1", receiver.port());
            ApiClient.Answer created = api.post("/task/create", body);
            assertEquals(0, created.code(), created.msg());
            Children.await(
                    "running",
                    Duration.ofSeconds(60),
                    () -> query(api).path("State").asText().equals("running"));
            Children.await(
                    "an alarm at the receiver",
                    Duration.ofSeconds(120),
                    () -> !receiver.findAll(postRequestedFor(urlEqualTo("/api/upload")))
                            .isEmpty());
            JsonNode alarms = ApiClient.JSON.readTree(receiver.findAll(postRequestedFor(urlEqualTo("/api/upload")))
                    .get(0)
                    .getBodyAsString());
            assertEquals("cpu-1", alarms.get(0).path("TaskID").asText());
            assertEquals("hall", alarms.get(0).path("SrcID").asText());
            assertEquals(
                    1, alarms.get(0).path("AnalyzeEvents").get(0).path("Type").asInt());
            Path dir = data.resolve("tasks/cpu-1/0-tripwire").toAbsolutePath();
            assertFalse(Files.readString(dir.resolve("stream.log")).isEmpty());
            assertEquals(0, api.delete("cpu-1").code());
            assertTrue(Children.under(dir).isEmpty());
        } finally {
            receiver.stop();
        }
    }

    /** A tripwire task on vtest.avi: people crossing x = 400 alarm at the receiver's /api/upload. */
    static String tripwireOnVtest(String taskId, int receiverPort) {
        return """
                {"TaskID":%s,"InputSrc":{"SrcID":"hall","StreamSrc":{"Address":%s}},
                 "Algorithm":[{"Type":1,"TrackInterval":2,"DetectInterval":3,"AlarmInterval":10,"threshold":30,
                   "TargetSize":{"MinDetect":20,"MaxDetect":400},
                   "DetectInfos":[{"TripWire":{"LineStart":{"X":400,"Y":0},"LineEnd":{"X":400,"Y":576},
                                               "DirectStart":{"X":0,"Y":0},"DirectEnd":{"X":0,"Y":0}},
                                   "HotArea":[{"X":0,"Y":0},{"X":768,"Y":0},{"X":768,"Y":576},{"X":0,"Y":576}]}]}],
                 "Reporting":{"ReportUrlList":["http://127.0.0.1:%d/api/upload"]}}
                """.formatted(
                        ApiClient.JSON.valueToTree(taskId), ApiClient.JSON.valueToTree(VTEST.toString()), receiverPort);
    }

    private static JsonNode query(ApiClient api) {
        try {
            return api.query("cpu-1").result();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
