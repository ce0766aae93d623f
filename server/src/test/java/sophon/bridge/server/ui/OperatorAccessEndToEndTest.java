package sophon.bridge.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;

/**
 * The access rule over real HTTP. A non-loopback client is made by binding the server to a
 * non-loopback address of this machine (its eth0 address) and connecting to that address: the
 * kernel routes it locally, but the server sees that address as the client, not 127.0.0.1.
 */
class OperatorAccessEndToEndTest {
    private static final String TOKEN = "operator-secret-1";
    /** Every route that shows pictures or figures. */
    private static final List<String> PROTECTED = List.of(
            "/",
            "/ui/app.js",
            "/ui/tasks",
            "/ui/log?TaskID=x&entry=0&child=stream",
            "/metrics",
            "/task/snapshot?TaskID=x",
            "/task/alarms?TaskID=x",
            "/task/alarms/1764633600000-1-scene.jpg?TaskID=x");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void withoutATokenOtherClientsGet403AndApplicationWebStillWorks() throws Exception {
        String host = nonLoopbackAddress();
        try (BridgeServer server = start(host, null)) {
            String base = "http://" + host + ":" + server.port();
            for (String path : PROTECTED) {
                HttpResponse<String> r = get(base + path, null);
                assertEquals(403, r.statusCode(), path);
                JsonNode body = json.readTree(r.body());
                assertEquals(1007, body.path("Code").asInt(), path);
                assertTrue(body.path("Msg").asText().contains("--ui-token"), r.body());
            }
            assertOpenForApplicationWeb(base);
        }
    }

    @Test
    void withATokenOtherClientsNeedItAsBasicOrBearer() throws Exception {
        String host = nonLoopbackAddress();
        try (BridgeServer server = start(host, TOKEN)) {
            String base = "http://" + host + ":" + server.port();
            for (String path : PROTECTED) {
                HttpResponse<String> none = get(base + path, null);
                assertEquals(401, none.statusCode(), path);
                assertEquals(
                        "Basic realm=\"sophon-bridge\", charset=\"UTF-8\"",
                        none.headers().firstValue("WWW-Authenticate").orElse(""));
                assertEquals(1007, json.readTree(none.body()).path("Code").asInt());
                assertEquals(401, get(base + path, basic("admin", TOKEN + "x")).statusCode(), path);
                assertEquals(401, get(base + path, "Bearer wrong-token").statusCode(), path);
                // Past the check: the route's own answer (an unknown task x is 404 there).
                int expected = path.contains("TaskID=x") ? 404 : 200;
                assertEquals(expected, get(base + path, basic("anyone", TOKEN)).statusCode(), path);
                assertEquals(expected, get(base + path, "Bearer " + TOKEN).statusCode(), path);
            }
            HttpResponse<String> page = get(base + "/", basic("", TOKEN));
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("/ui/app.js"));
            assertTrue(get(base + "/metrics", "Bearer " + TOKEN).body().contains("sophon_bridge_tasks"));
            assertOpenForApplicationWeb(base);
        }
    }

    @Test
    void loopbackClientsNeedNoToken() throws Exception {
        try (BridgeServer server = start("127.0.0.1", TOKEN)) {
            String base = "http://127.0.0.1:" + server.port();
            for (String path : PROTECTED) {
                assertEquals(
                        path.contains("TaskID=x") ? 404 : 200,
                        get(base + path, null).statusCode(),
                        path);
            }
        }
    }

    private void assertOpenForApplicationWeb(String base) throws Exception {
        HttpResponse<String> list = http.send(
                HttpRequest.newBuilder(URI.create(base + "/task/list"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        assertEquals(0, json.readTree(list.body()).path("Code").asInt(), list.body());
        HttpResponse<String> query = http.send(
                HttpRequest.newBuilder(URI.create(base + "/task/query"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"TaskID\":\"x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(1002, json.readTree(query.body()).path("Code").asInt(), query.body());
        assertEquals(200, get(base + "/health", null).statusCode());
    }

    private BridgeServer start(String host, String token) throws Exception {
        String[] args = token == null
                ? new String[] {"--host=" + host, "--port=0", "--data-dir=" + tmp.resolve("data")}
                : new String[] {"--host=" + host, "--port=0", "--data-dir=" + tmp.resolve("data"), "--ui-token=" + token
                };
        return BridgeServer.start(ServerOptions.parse(args, Map.of()), AppHome.find());
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An IPv4 address of an interface that is up and not loopback; the test is skipped on a machine without one. */
    private static String nonLoopbackAddress() throws Exception {
        Optional<InetAddress> found = NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        Assumptions.assumeTrue(found.isPresent(), "this machine has no non-loopback IPv4 address");
        return found.get().getHostAddress();
    }
}
