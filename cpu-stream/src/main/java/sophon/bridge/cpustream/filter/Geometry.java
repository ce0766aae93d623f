package sophon.bridge.cpustream.filter;

import java.util.List;

/** Box-versus-area tests of the filter element: polygons (3+ points), lines (2) and points (1). */
final class Geometry {
    record P(double x, double y) {}

    private Geometry() {}

    /** An empty area matches everything; a line matches boxes it touches; a polygon those fully inside. */
    static boolean boxMatches(double x0, double y0, double x1, double y1, List<P> area) {
        if (area.isEmpty()) {
            return true;
        }
        P[] rect = {new P(x0, y0), new P(x1, y0), new P(x1, y1), new P(x0, y1)};
        if (area.size() < 3) {
            for (P p : area) {
                if (p.x() >= x0 && p.x() <= x1 && p.y() >= y0 && p.y() <= y1) {
                    return true;
                }
            }
            if (area.size() == 1) {
                return false;
            }
            for (int i = 0; i < 4; i++) {
                if (intersects(rect[i], rect[(i + 1) % 4], area.get(0), area.get(1))) {
                    return true;
                }
            }
            return false;
        }
        for (P c : rect) {
            if (!inside(c, area)) {
                return false;
            }
        }
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < area.size(); j++) {
                if (properlyCross(rect[i], rect[(i + 1) % 4], area.get(j), area.get((j + 1) % area.size()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Ray casting; points on the boundary count as inside. */
    static boolean inside(P p, List<P> poly) {
        boolean in = false;
        for (int i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
            P a = poly.get(i), b = poly.get(j);
            if (orient(a, b, p) == 0 && onSegment(a, p, b)) {
                return true;
            }
            if ((a.y() > p.y()) != (b.y() > p.y())) {
                double xCross = (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x();
                if (p.x() < xCross) {
                    in = !in;
                }
            }
        }
        return in;
    }

    static boolean intersects(P p1, P q1, P p2, P q2) {
        int o1 = orient(p1, q1, p2), o2 = orient(p1, q1, q2), o3 = orient(p2, q2, p1), o4 = orient(p2, q2, q1);
        if (o1 != o2 && o3 != o4) {
            return true;
        }
        return (o1 == 0 && onSegment(p1, p2, q1))
                || (o2 == 0 && onSegment(p1, q2, q1))
                || (o3 == 0 && onSegment(p2, p1, q2))
                || (o4 == 0 && onSegment(p2, q1, q2));
    }

    /** Crossing in the interior of both segments (touching a vertex or an edge does not count). */
    private static boolean properlyCross(P p1, P q1, P p2, P q2) {
        int o1 = orient(p1, q1, p2), o2 = orient(p1, q1, q2), o3 = orient(p2, q2, p1), o4 = orient(p2, q2, q1);
        return o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 && o1 != o2 && o3 != o4;
    }

    private static int orient(P p, P q, P r) {
        double v = (q.y() - p.y()) * (r.x() - q.x()) - (q.x() - p.x()) * (r.y() - q.y());
        return v == 0 ? 0 : (v > 0 ? 1 : 2);
    }

    private static boolean onSegment(P p, P q, P r) {
        return q.x() <= Math.max(p.x(), r.x())
                && q.x() >= Math.min(p.x(), r.x())
                && q.y() <= Math.max(p.y(), r.y())
                && q.y() >= Math.min(p.y(), r.y());
    }
}
