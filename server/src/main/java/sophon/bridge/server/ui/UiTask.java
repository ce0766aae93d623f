package sophon.bridge.server.ui;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import sophon.bridge.server.task.TaskView;
import sophon.bridge.task.Point;
import sophon.bridge.task.TripWire;

/**
 * One task as the status page shows it: {@code /task/query}'s view, the figures a tile needs
 * summed over the entries, and each entry's HotAreas and TripWires as application-web sent them
 * (source pixels) for drawing over the snapshot.
 */
public record UiTask(
        @JsonProperty("Task") TaskView task,
        @JsonProperty("FramesPerSecond") double framesPerSecond,
        @JsonProperty("AlarmsLastHour") long alarmsLastHour,
        @JsonProperty("Shapes") List<Shapes> shapes) {

    /** One algorithm entry's regions. */
    public record Shapes(
            @JsonProperty("Index") int index,
            @JsonProperty("Algorithm") String algorithm,
            @JsonProperty("HotAreas") List<Area> hotAreas,
            @JsonProperty("TripWires") List<Wire> tripWires) {}

    /** A HotArea; {@code WholeFrame} when it restricts nothing (all zero, application-web's full canvas). */
    public record Area(
            @JsonProperty("Points") List<Xy> points,
            @JsonProperty("WholeFrame") boolean wholeFrame) {
        static Area of(List<Point> points, boolean wholeFrame) {
            return new Area(points.stream().map(Xy::of).toList(), wholeFrame);
        }
    }

    /** A TripWire's line and its direction arrow (all zero: no direction). */
    public record Wire(
            @JsonProperty("LineStart") Xy lineStart,
            @JsonProperty("LineEnd") Xy lineEnd,
            @JsonProperty("DirectStart") Xy directStart,
            @JsonProperty("DirectEnd") Xy directEnd) {
        static Wire of(TripWire w) {
            return new Wire(Xy.of(w.lineStart()), Xy.of(w.lineEnd()), Xy.of(w.directStart()), Xy.of(w.directEnd()));
        }
    }

    /** A point in the source's pixels; an absent one is the origin, as application-web means it. */
    public record Xy(
            @JsonProperty("X") double x, @JsonProperty("Y") double y) {
        static Xy of(Point p) {
            return p == null ? new Xy(0, 0) : new Xy(p.x(), p.y());
        }
    }
}
