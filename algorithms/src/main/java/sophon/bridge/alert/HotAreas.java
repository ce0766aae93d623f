package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.List;
import sophon.bridge.frame.Box;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.HotAreaRule;
import sophon.bridge.task.Point;

/**
 * The task's HotAreas. An object is inside when its box centre lies in (or on the edge of) any
 * area. Areas that {@link HotAreaRule} calls unrestricted (absent, all zero, full-frame: the
 * 1920x1080 canvas from the origin means the whole frame at any resolution) restrict nothing, as
 * in the stream's filter; so do areas of fewer than 3 points, which the config builder refuses
 * before a task gets here.
 */
public final class HotAreas {
    private final List<double[][]> polygons;

    public HotAreas(AlgorithmSpec spec) {
        List<double[][]> list = new ArrayList<>();
        for (DetectInfo info : spec.detectInfosOrEmpty()) {
            if (info == null
                    || HotAreaRule.unrestricted(info.hotArea())
                    || info.hotArea().size() < 3) {
                continue;
            }
            double[][] poly = new double[info.hotArea().size()][];
            for (int i = 0; i < poly.length; i++) {
                Point p = info.hotArea().get(i);
                poly[i] = p == null ? new double[] {0, 0} : new double[] {p.x(), p.y()};
            }
            list.add(poly);
        }
        this.polygons = List.copyOf(list);
    }

    public boolean unrestricted() {
        return polygons.isEmpty();
    }

    public boolean contains(Box box) {
        return contains(box.centerX(), box.centerY());
    }

    public boolean contains(double x, double y) {
        if (polygons.isEmpty()) {
            return true;
        }
        for (double[][] poly : polygons) {
            if (inside(poly, x, y)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inside(double[][] poly, double x, double y) {
        boolean in = false;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            double xi = poly[i][0];
            double yi = poly[i][1];
            double xj = poly[j][0];
            double yj = poly[j][1];
            if (onSegment(xi, yi, xj, yj, x, y)) {
                return true;
            }
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }

    private static boolean onSegment(double x1, double y1, double x2, double y2, double x, double y) {
        double cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
        if (Math.abs(cross) > 1e-9) {
            return false;
        }
        return x >= Math.min(x1, x2) && x <= Math.max(x1, x2) && y >= Math.min(y1, y2) && y <= Math.max(y1, y2);
    }
}
