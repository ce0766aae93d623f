package sophon.bridge.task;

import java.util.List;

/**
 * What a HotArea from a task means, for the stream's filter ({@code streamconfig/DetectAreas}) and
 * for the alert rules ({@code alert/HotAreas}) alike, so an object the filter lets through is never
 * dropped again by business logic for being outside the same area.
 *
 * <p>No restriction: an absent or empty area, all points at the origin, or a full-frame area — an
 * axis-aligned rectangle from the origin of at least 1920x1080. application-web draws HotAreas on a
 * 1920x1080 canvas and sends that rectangle as its default; neither the config builder nor the user
 * knows the source's resolution at that point, so the rectangle means "the whole frame" on a 4K (or
 * any) source, not "the top-left 1920x1080 pixels".
 */
public final class HotAreaRule {
    /** application-web's canvas: its default full-frame HotArea is this rectangle from the origin. */
    public static final int CANVAS_WIDTH = 1920;

    public static final int CANVAS_HEIGHT = 1080;

    private HotAreaRule() {}

    /** Whether the area restricts nothing: absent, empty, all zero or full-frame. */
    public static boolean unrestricted(List<Point> area) {
        return area == null || area.isEmpty() || allZero(area) || isFullFrame(area);
    }

    private static boolean allZero(List<Point> area) {
        return area.stream().allMatch(p -> p == null || p.isOrigin());
    }

    /** An axis-aligned rectangle from the origin at least as large as application-web's canvas. */
    public static boolean isFullFrame(List<Point> area) {
        if (area.size() < 3 || area.stream().anyMatch(p -> p == null)) {
            return false;
        }
        double minX = area.stream().mapToDouble(Point::x).min().orElse(0);
        double minY = area.stream().mapToDouble(Point::y).min().orElse(0);
        double maxX = area.stream().mapToDouble(Point::x).max().orElse(0);
        double maxY = area.stream().mapToDouble(Point::y).max().orElse(0);
        boolean corners =
                area.stream().allMatch(p -> (p.x() == minX || p.x() == maxX) && (p.y() == minY || p.y() == maxY));
        return corners && minX <= 0 && minY <= 0 && maxX >= CANVAS_WIDTH && maxY >= CANVAS_HEIGHT;
    }
}
