package sophon.bridge.server.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;

/**
 * {@code GET /metrics} checked by real Prometheus tools (Debian's {@code prometheus} package, which
 * scripts/test-deps.sh installs): a cpu-stream tripwire task on vtest.avi runs until it has
 * delivered an alarm; its scrape passes {@code promtool check metrics}, and a Prometheus server
 * scraping the bridge every second answers a per-task series through its query API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndTest {
    private static final String TASK = "prom-1";
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*\\})? (\\S+)$");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    static Path tmp; // static: a per-class instance gets its fields after @BeforeAll

    private WireMockServer receiver;
    private BridgeServer server;
    private ApiClient api;

    @BeforeAll
    void startATaskThatDeliversAnAlarm() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        server = BridgeServer.start(
                ServerOptions.parse(new String[] {"--port=0", "--data-dir=" + tmp.resolve("data")}, Map.of()),
                CpuStreamEndToEndTest.HOME);
        api = new ApiClient(server.port());
        ApiClient.Answer created =
                api.post("/task/create", CpuStreamEndToEndTest.tripwireOnVtest(TASK, receiver.port()));
        assertEquals(0, created.code(), created.msg());
        // The latency histogram has counts once an alarm was delivered and /counters polled after it.
        Children.await(
                "an alarm latency in /metrics",
                Duration.ofSeconds(150),
                () -> sample(scrape(), "sophon_bridge_alarm_latency_seconds_count", TASK) >= 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            assertEquals(0, api.delete(TASK).code());
            server.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void theScrapePassesPromtoolAndHoldsEveryDocumentedSeries() throws Exception {
        String text = scrape();
        Path file = tmp.resolve("scrape.txt");
        Files.writeString(file, text);
        Process promtool = new ProcessBuilder(tool("promtool"), "check", "metrics")
                .redirectInput(file.toFile())
                .redirectErrorStream(true)
                .start();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check metrics: " + verdict);

        for (String name : List.of(
                "sophon_bridge_frames_received_total",
                "sophon_bridge_frames_refused_total",
                "sophon_bridge_alarms_produced_total",
                "sophon_bridge_alarms_delivered_total",
                "sophon_bridge_alarms_failed_total",
                "sophon_bridge_alarms_dropped_total",
                "sophon_bridge_entry_restarts_total",
                "sophon_bridge_frames_per_second",
                "sophon_bridge_alarms_queued",
                "sophon_bridge_outbox_bytes",
                "sophon_bridge_last_frame_age_seconds")) {
            assertTrue(sample(text, name, TASK) >= 0, name + " missing in:\n" + text);
        }
        assertTrue(sample(text, "sophon_bridge_frames_received_total", TASK) > 0);
        assertTrue(sample(text, "sophon_bridge_alarms_delivered_total", TASK) >= 1);
        assertTrue(
                text.contains(
                        "sophon_bridge_alarm_latency_seconds_bucket{algorithm=\"tripwire\",entry=\"0\",task_id=\"prom-1\",le=\"+Inf\"}"),
                text);
        assertTrue(
                text.contains(
                        "sophon_bridge_child_up{algorithm=\"tripwire\",child=\"business-logic\",entry=\"0\",task_id=\"prom-1\"}"),
                text);
        assertTrue(
                text.contains(
                        "sophon_bridge_entry_state{algorithm=\"tripwire\",entry=\"0\",state=\"error\",task_id=\"prom-1\"} 0.0"),
                text);
        assertTrue(text.contains("sophon_bridge_tasks{state=\"running\"}"), text);
        assertTrue(text.contains("sophon_bridge_task_operation_seconds_count{operation=\"create\"} 1"), text);
        for (String jvm : List.of(
                "jvm_memory_used_bytes",
                "jvm_threads_current",
                "jvm_gc_collection_seconds_count",
                "process_cpu_seconds_total")) {
            assertTrue(text.contains("\n" + jvm), jvm + " missing");
        }
        assertFalse(text.contains(receiver.port() + ""), "no address in a label");
    }

    @Test
    void prometheusScrapesTheBridgeAndAnswersAPerTaskSeries() throws Exception {
        int port = ServerProcess.freePort();
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: sophon-bridge
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(server.port()));
        Path log = tmp.resolve("prometheus.log");
        Process prometheus = new ProcessBuilder(
                        tool("prometheus"),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String query =
                    "sophon_bridge_frames_received_total{task_id=\"" + TASK + "\",entry=\"0\",algorithm=\"tripwire\"}";
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8));
            JsonNode[] result = new JsonNode[1];
            Children.await("Prometheus to answer " + query, Duration.ofSeconds(60), () -> {
                if (!prometheus.isAlive()) {
                    throw new AssertionError("prometheus exited with " + prometheus.exitValue() + "; see " + log);
                }
                try {
                    JsonNode answer = ApiClient.JSON.readTree(get(uri));
                    result[0] = answer.path("data").path("result");
                    return "success".equals(answer.path("status").asText()) && result[0].size() == 1;
                } catch (IOException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            assertEquals(
                    "sophon-bridge", result[0].get(0).path("metric").path("job").asText());
            assertTrue(Double.parseDouble(result[0].get(0).path("value").get(1).asText()) > 0, result[0].toString());
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor();
            }
        }
    }

    /** The value of {@code name} for this task, -1 when absent. */
    private static double sample(String text, String name, String taskId) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name) && m.group(2) != null && m.group(2).contains("task_id=\"" + taskId + "\"")) {
                return Double.parseDouble(m.group(3));
            }
        }
        return -1;
    }

    private String scrape() {
        try {
            ApiClient.TextAnswer answer = api.getText("/metrics");
            assertEquals(200, answer.status());
            assertTrue(answer.contentType().startsWith("text/plain; version=0.0.4"), answer.contentType());
            return answer.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Debian's binary; the test command installs the package (scripts/test-deps.sh), so its absence is a failure. */
    private static String tool(String name) {
        Path path = Path.of("/usr/bin", name);
        assertTrue(Files.isExecutable(path), path + " is missing: run scripts/test-deps.sh (or ./scripts/test.sh)");
        return path.toString();
    }
}
