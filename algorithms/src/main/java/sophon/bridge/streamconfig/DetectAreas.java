package sophon.bridge.streamconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.HotAreaRule;
import sophon.bridge.task.Point;
import sophon.bridge.task.TripWire;

/**
 * The geometry of a task's DetectInfos in filter terms: HotArea polygons, TripWire lines and the
 * crossing direction, in integer pixels. All-zero lines are left out, and so are the areas that
 * {@link HotAreaRule} calls unrestricted (all zero, full-frame), since application-web sends them
 * to mean "none"; business logic's {@code alert.HotAreas} applies the same rule.
 */
record DetectAreas(List<List<Pixel>> polygons, List<List<Pixel>> lines, Optional<Pixel> direction) {
    private static final int MAX_COORDINATE = 65_535;

    record Pixel(int x, int y) {}

    static DetectAreas of(AlgorithmSpec algorithm) {
        List<List<Pixel>> polygons = new ArrayList<>();
        List<List<Pixel>> lines = new ArrayList<>();
        Pixel direction = null;
        for (DetectInfo info : algorithm.detectInfosOrEmpty()) {
            if (info == null) {
                continue;
            }
            List<Point> area = info.hotArea();
            if (!HotAreaRule.unrestricted(area)) {
                if (area.size() < 3) {
                    throw new IllegalArgumentException("A HotArea needs at least 3 points.");
                }
                polygons.add(area.stream().map(DetectAreas::pixel).toList());
            }
            TripWire wire = info.tripWire();
            if (wire != null && wire.hasLine()) {
                Pixel start = pixel(orOrigin(wire.lineStart()));
                Pixel end = pixel(orOrigin(wire.lineEnd()));
                if (start.equals(end)) {
                    throw new IllegalArgumentException("A TripWire needs two different points.");
                }
                lines.add(List.of(start, end));
                if (direction == null && wire.hasDirection()) {
                    Point from = orOrigin(wire.directStart());
                    Point to = orOrigin(wire.directEnd());
                    Pixel d = new Pixel((int) Math.round(to.x() - from.x()), (int) Math.round(to.y() - from.y()));
                    direction = d.x() == 0 && d.y() == 0 ? null : d;
                }
            }
        }
        return new DetectAreas(List.copyOf(polygons), List.copyOf(lines), Optional.ofNullable(direction));
    }

    private static Point orOrigin(Point p) {
        return p == null ? new Point(0, 0) : p;
    }

    private static Pixel pixel(Point p) {
        if (p == null) {
            throw new IllegalArgumentException("A HotArea or TripWire point is missing its coordinates.");
        }
        return new Pixel(clamp(p.x()), clamp(p.y()));
    }

    private static int clamp(double v) {
        // application-web's canvas can hand out a pixel or two beyond the frame; the filter wants ints >= 0.
        return (int) Math.max(0, Math.min(MAX_COORDINATE, Math.round(v)));
    }
}
