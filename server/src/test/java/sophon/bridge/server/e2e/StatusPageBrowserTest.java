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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.BridgeServer;
import sophon.bridge.server.ServerOptions;

/**
 * The status page in a real browser (Debian's chromium, headless, {@link HeadlessChromium}) against
 * a running server with two cpu-stream tripwire tasks on vtest.avi: the grid shows both with their
 * state and a decoded snapshot; a task page draws its HotArea and TripWire over the live frame,
 * shows alarm thumbnails whose click opens the scene with its boxes, the counters and the child
 * logs; a phone-sized viewport needs no sideways scrolling. Screenshots go to
 * {@code server/target/status-page.png} (the grid) and {@code status-page-*.jpg} for people to look at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {
    private static final List<String> TASKS = List.of("hall-east", "hall-west");
    private static final Set<String> STATES =
            Set.of("starting", "running", "restarting", "retrying", "finished", "error");
    private static final Path TARGET = Path.of("target");
    private static final String FULL_FRAME =
            "[{\"X\":0,\"Y\":0},{\"X\":768,\"Y\":0},{\"X\":768,\"Y\":576},{\"X\":0,\"Y\":576}]";
    private static final String HOT_AREA =
            "[{\"X\":30,\"Y\":150},{\"X\":740,\"Y\":110},{\"X\":765,\"Y\":570},{\"X\":10,\"Y\":565}]";

    @TempDir
    static Path tmp;

    private WireMockServer receiver;
    private BridgeServer server;
    private ApiClient api;
    private HeadlessChromium browser;
    private String base;

    @BeforeAll
    void startTasksAndBrowser() throws Exception {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        server = BridgeServer.start(
                ServerOptions.parse(new String[] {"--port=0", "--data-dir=" + tmp.resolve("data")}, Map.of()),
                CpuStreamEndToEndTest.HOME);
        api = new ApiClient(server.port());
        base = "http://127.0.0.1:" + server.port();
        for (String id : TASKS) {
            String task = CpuStreamEndToEndTest.tripwireOnVtest(id, receiver.port());
            if (id.equals(TASKS.get(0))) { // a HotArea that is not the whole frame, to see it drawn
                task = task.replace(FULL_FRAME, HOT_AREA);
            }
            ApiClient.Answer created = api.post("/task/create", task);
            assertEquals(0, created.code(), created.msg());
        }
        Children.await("an alarm of " + TASKS.get(0), Duration.ofSeconds(150), () -> alarms(TASKS.get(0)) > 0);
        browser = HeadlessChromium.start(tmp.resolve("chromium"), 1280, 900);
        browser.viewport(1280, 900, false);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            for (String id : TASKS) {
                api.delete(id);
            }
            server.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void theGridShowsEveryTaskWithItsStateAndADecodedSnapshot() throws Exception {
        browser.navigate(base + "/");
        AtomicReference<JsonNode> tiles = new AtomicReference<>();
        awaitPage("two tiles with a state and a decoded snapshot each", () -> {
            JsonNode t = browser.eval("[...document.querySelectorAll('.tile')].map(t => ({"
                    + "id: t.dataset.taskId, state: t.querySelector('.state').textContent,"
                    + "stateClass: t.querySelector('.state').className, src: t.querySelector('.src').textContent,"
                    + "width: t.querySelector('.shot img').naturalWidth}))");
            tiles.set(t);
            if (t.size() != TASKS.size()) {
                return false;
            }
            for (JsonNode tile : t) {
                if (tile.path("width").asInt() <= 0
                        || !STATES.contains(tile.path("state").asText())) {
                    return false;
                }
            }
            return true;
        });
        for (int i = 0; i < TASKS.size(); i++) {
            JsonNode tile = tiles.get().get(i);
            assertEquals(TASKS.get(i), tile.path("id").asText());
            assertEquals(
                    "state s-" + tile.path("state").asText(),
                    tile.path("stateClass").asText());
            assertTrue(tile.path("src").asText().contains("hall · tripwire"), tile.toString());
            assertTrue(tile.path("width").asInt() >= 640, "vtest.avi is 768 wide: " + tile);
        }
        browser.screenshot(TARGET.resolve("status-page.png"));

        // Tasks come and go without a reload.
        assertEquals(
                0,
                api.post("/task/create", CpuStreamEndToEndTest.tripwireOnVtest("late", receiver.port()))
                        .code());
        awaitPage(
                "the new task's tile",
                () -> browser.eval("document.querySelectorAll('.tile').length").asInt() == 3);
        assertEquals(0, api.delete("late").code());
        awaitPage(
                "the deleted task's tile gone",
                () -> browser.eval(
                                "document.querySelectorAll('.tile').length + ':' + !!document.querySelector('[data-task-id=late]')")
                        .asText()
                        .equals("2:false"));
    }

    @Test
    void aTaskPageDrawsItsShapesAndShowsAlarmsCountersAndLogs() throws Exception {
        String id = TASKS.get(0);
        browser.navigate(base + "/#/task/" + id);
        awaitPage(
                "the live frame with the HotArea and the TripWire drawn, an alarm thumbnail, counters and logs",
                () -> browser.eval("(() => {"
                                + "const live = document.getElementById('live');"
                                + "const thumbs = [...document.querySelectorAll('#alarms .thumb img')];"
                                + "const logs = [...document.querySelectorAll('#logs pre')].map(p => p.textContent);"
                                + "return live.naturalWidth > 0"
                                + " && document.querySelectorAll('#overlay polygon').length === 1"
                                + " && document.querySelectorAll('#overlay line').length >= 1"
                                + " && thumbs.length > 0 && thumbs.every(i => i.naturalWidth > 0)"
                                + " && document.querySelector('#counters table') !== null"
                                + " && logs.length === 2 && logs.some(l => l.includes('vtest.avi'));"
                                + "})()")
                        .asBoolean());
        JsonNode line = browser.eval("(() => { const l = document.querySelector('#overlay line');"
                + " return [l.getAttribute('x1'), l.getAttribute('y1'), l.getAttribute('x2'), l.getAttribute('y2'),"
                + " document.getElementById('overlay').getAttribute('viewBox')]; })()");
        assertEquals("[\"400\",\"0\",\"400\",\"576\",\"0 0 768 576\"]", line.toString(), "source pixels");
        assertEquals(
                "30,150 740,110 765,570 10,565",
                browser.eval("document.querySelector('#overlay polygon').getAttribute('points')")
                        .asText());
        assertTrue(browser.eval("document.getElementById('counters').textContent")
                .asText()
                .contains("frames received"));
        browser.screenshot(TARGET.resolve("status-page-task.jpg"));

        browser.eval("document.querySelector('#alarms .thumb').click()");
        awaitPage(
                "the scene with its boxes",
                () -> browser.eval("document.getElementById('scene').open"
                                + " && document.getElementById('scene-img').naturalWidth > 0"
                                + " && document.querySelectorAll('#scene-boxes rect').length > 0")
                        .asBoolean());
        browser.screenshot(TARGET.resolve("status-page-alarm.jpg"));
        browser.eval("document.getElementById('scene').close()");

        // A phone: one column, nothing wider than the screen.
        browser.viewport(390, 844, true);
        try {
            browser.navigate(base + "/");
            awaitPage(
                    "the grid on a phone",
                    () -> browser.eval("document.querySelectorAll('.tile').length")
                                    .asInt()
                            == TASKS.size());
            assertFalse(
                    browser.eval("document.documentElement.scrollWidth > window.innerWidth")
                            .asBoolean(),
                    "sideways scrolling on a phone");
            browser.navigate(base + "/#/task/" + id);
            awaitPage(
                    "the task page on a phone",
                    () -> browser.eval("document.getElementById('live').naturalWidth > 0"
                                    + " && document.querySelectorAll('#logs pre').length === 2")
                            .asBoolean());
            assertFalse(
                    browser.eval("document.documentElement.scrollWidth > window.innerWidth")
                            .asBoolean(),
                    "sideways scrolling on a phone");
            browser.screenshot(TARGET.resolve("status-page-phone.jpg"));
        } finally {
            browser.viewport(1280, 900, false);
        }
    }

    private int alarms(String id) {
        try {
            return api.get("/task/alarms?TaskID=" + id + "&limit=5")
                    .result()
                    .path("Alarms")
                    .size();
        } catch (Exception e) {
            return 0;
        }
    }

    @FunctionalInterface
    private interface PageCheck {
        boolean holds() throws Exception;
    }

    /** Polls until the check holds; a script error (the page still loading) counts as "not yet". */
    private static void awaitPage(String what, PageCheck check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IllegalStateException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after 45 s waiting for: " + what, last);
    }

    static {
        try {
            Files.createDirectories(TARGET);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
