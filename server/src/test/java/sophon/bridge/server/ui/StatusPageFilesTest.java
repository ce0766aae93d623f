package sophon.bridge.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.task.AlarmsLastHour;

/** The log tail across a rotation, the alarm window, and a page that loads nothing from elsewhere. */
class StatusPageFilesTest {
    @TempDir
    Path tmp;

    @Test
    void theTailReachesIntoTheRotatedFileFromAWholeLine() throws Exception {
        Path log = tmp.resolve("stream.log");
        Files.writeString(tmp.resolve("stream.log.1"), "old line one\nold line two\n");
        Files.writeString(log, "new line\n");
        assertEquals("old line one\nold line two\nnew line\n", StatusPage.tail(log, 1000));
        assertEquals("old line two\nnew line\n", StatusPage.tail(log, 22), "a window starting on a whole line");
        assertEquals("new line\n", StatusPage.tail(log, 21), "a cut line is left out");
        Files.writeString(log, "0123456789\nabc\n");
        assertEquals("abc\n", StatusPage.tail(log, 6));
        assertEquals("", StatusPage.tail(log, 2), "no whole line fits");
        assertEquals("", StatusPage.tail(tmp.resolve("none.log"), 100));
    }

    @Test
    void alarmsOfTheLastHourFromACounterThatMayRestart() {
        AlarmsLastHour w = new AlarmsLastHour();
        long t = 1_000 * 3_600_000L;
        w.observe(t, 0);
        w.observe(t + 2_000, 3);
        w.observe(t + 4_000, 3);
        assertEquals(3, w.count(t + 4_000));
        w.observe(t + 30 * 60_000, 5); // +2
        w.observe(t + 31 * 60_000, 1); // a restarted child counts from 0: +1
        assertEquals(6, w.count(t + 31 * 60_000));
        assertEquals(3, w.count(t + 61 * 60_000), "the first minute's 3 left the hour");
        assertEquals(0, w.count(t + 200 * 60_000));
    }

    @Test
    void thePageLoadsNothingFromAnotherHost() throws Exception {
        for (String name : new String[] {"index.html", "app.js", "style.css"}) {
            String text = new String(
                    StatusPage.class
                            .getResourceAsStream("/sophon-bridge/ui/" + name)
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertFalse(text.isBlank(), name);
            // Only the SVG namespace name may look like a URL; it is an identifier, never fetched.
            String withoutNamespace = text.replace("http://www.w3.org/2000/svg", "");
            assertFalse(withoutNamespace.contains("http://") || withoutNamespace.contains("https://"), name);
            assertFalse(withoutNamespace.contains("//cdn") || withoutNamespace.contains("@import"), name);
        }
    }
}
