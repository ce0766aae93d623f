package sophon.bridge.cpustream.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.config.ConfigException;
import sophon.bridge.cpustream.frame.Detection;
import sophon.bridge.cpustream.frame.Frame;

class FilterElementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

    private static FilterElement filter(String filters, Clock clock) throws Exception {
        String cfg = "{\"rules\":[{\"channel_id\":0,\"filters\":[" + filters + "]}]}";
        return new FilterElement(0, FilterConfig.parse(JSON.readTree(cfg), "test"), clock);
    }

    private static String rule(int type, String areas, int first, int skip, String extra) {
        return "{\"alert_first_frame\":" + first + ",\"alert_frame_skip_nums\":" + skip + ",\"areas\":" + areas
                + ",\"classes\":[0],\"times\":[{\"time_start\":\"08 00 00\",\"time_end\":\"18 00 00\"}],\"type\":"
                + type + extra + "}";
    }

    private static Frame frame(List<Detection> dets, List<Integer> ids) {
        Frame f = new Frame(0, 1, 0, 640, 480, false, false, 0, 0, null);
        f.setDetections(dets);
        f.setTrackIds(ids);
        return f;
    }

    private static Detection box(int x, int y, int cls) {
        return new Detection(x, y, 20, 40, cls, 0.9f, "o");
    }

    private static Frame run(FilterElement el, Frame f) {
        List<Frame> out = new ArrayList<>();
        el.process(f, out::add);
        return out.isEmpty() ? null : out.get(0);
    }

    @Test
    void lineKeepsOnlyBoxesItTouchesAndAlertsAfterAlertFirstFrame() throws Exception {
        FilterElement el =
                filter(rule(1, "[[{\"left\":100,\"top\":0},{\"left\":100,\"top\":480}]]", 1, 1000, ""), NOON);
        List<Detection> dets = List.of(box(90, 10, 0), box(300, 10, 0));
        assertNull(run(el, frame(dets, List.of(1, 2))), "first frame on the line: alert_first_frame 1 not reached yet");
        Frame out = run(el, frame(dets, List.of(1, 2)));
        assertEquals(List.of(box(90, 10, 0)), out.detections());
        assertEquals(List.of(1), out.trackIds());
        assertNull(run(el, frame(dets, List.of(1, 2))), "alert_frame_skip_nums 1000: no second alert while it stays");
    }

    @Test
    void leavingTheLineResetsTheConsecutiveCount() throws Exception {
        FilterElement el =
                filter(rule(1, "[[{\"left\":100,\"top\":0},{\"left\":100,\"top\":480}]]", 0, 1000, ""), NOON);
        assertTrue(run(el, frame(List.of(box(90, 10, 0)), List.of(7))) != null);
        // another track on the line while 7 is away: 7's count is dropped
        assertTrue(run(el, frame(List.of(box(95, 10, 0), box(300, 10, 0)), List.of(8, 7))) != null);
        assertTrue(run(el, frame(List.of(box(90, 10, 0)), List.of(7))) != null, "7 came back: alerted again");
    }

    @Test
    void polygonKeepsBoxesFullyInsideAndClassesAreFiltered() throws Exception {
        String square =
                "[[{\"left\":0,\"top\":0},{\"left\":200,\"top\":0},{\"left\":200,\"top\":200},{\"left\":0,\"top\":200}]]";
        FilterElement el = filter(rule(2, square, 0, 1, ""), NOON);
        Frame out = run(el, frame(List.of(box(10, 10, 0), box(190, 10, 0), box(20, 20, 2)), List.of(1, 2, 3)));
        assertEquals(List.of(box(10, 10, 0)), out.detections(), "inside and class 0 only");
        assertEquals(List.of(1), out.trackIds());
        assertNull(run(el, frame(List.of(box(400, 10, 0)), List.of(4))), "nothing inside: frame dropped");
    }

    @Test
    void emptyAreaMeansEverywhereAndEmptyFramesAreDropped() throws Exception {
        FilterElement el = filter(rule(2, "[[]]", 0, 1, ""), NOON);
        assertEquals(
                1,
                run(el, frame(List.of(box(500, 400, 0)), List.of(1)))
                        .detections()
                        .size());
        assertNull(run(el, frame(List.of(), List.of())));
    }

    @Test
    void outsideWorkingTimeNothingPasses() throws Exception {
        Clock night = Clock.fixed(Instant.parse("2026-01-01T23:00:00Z"), ZoneOffset.UTC);
        FilterElement el = filter(rule(2, "[[]]", 0, 1, ""), night);
        assertNull(run(el, frame(List.of(box(10, 10, 0)), List.of(1))));
    }

    @Test
    void directionKeepsTracksMovingWithinNinetyDegrees() throws Exception {
        FilterElement el = filter(rule(1, "[[]]", 0, 1, ",\"direction\":[1,0],\"trajectory_interval\":1"), NOON);
        run(el, frame(List.of(box(100, 10, 0), box(300, 10, 0)), List.of(1, 2)));
        Frame out = run(el, frame(List.of(box(120, 10, 0), box(280, 10, 0)), List.of(1, 2)));
        assertEquals(List.of(1), out.trackIds(), "track 1 moves right (with [1,0]), track 2 left");
    }

    @Test
    void endOfStreamAlwaysPassesAndUnknownChannelsAreNotFiltered() throws Exception {
        FilterElement el = filter(rule(2, "[[]]", 0, 1, ""), NOON);
        assertTrue(run(el, Frame.endOfStream(0, 9, 0)) != null);
        FilterElement other = new FilterElement(5, FilterConfig.parse(JSON.readTree("{\"rules\":[]}"), "t"), NOON);
        Frame f = frame(List.of(), List.of());
        assertTrue(run(other, f) == f);
    }

    @Test
    void badRulesAreRefusedWithTheKeyNamed() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> FilterConfig.parse(
                        JSON.readTree(
                                "{\"rules\":[{\"channel_id\":0,\"filters\":[{\"areas\":[[]],\"classes\":[0],\"times\":[{\"time_start\":\"25 00 00\",\"time_end\":\"23 59 59\"}],\"type\":1}]}]}"),
                        "f"));
        assertTrue(e.getMessage().contains("\"25 00 00\""), e.getMessage());
        e = assertThrows(ConfigException.class, () -> FilterConfig.parse(JSON.readTree("{\"rules\":{}}"), "f"));
        assertTrue(e.getMessage().contains("rules"), e.getMessage());
    }
}
