package sophon.bridge.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.TripWire;

/**
 * tripwire: an alarm when a tracked person's foot point (bottom centre of the box) crosses a
 * TripWire segment, once per track. With DirectStart/DirectEnd set, only a crossing towards the
 * side the direction arrow points to counts. Points within a dead band of the line (0.5% of the
 * frame's width + height) do not change side, so a box jittering on the line raises nothing.
 * Untracked detections cannot cross anything and are ignored. State is per channel
 * ({@link ChannelStates}).
 */
public final class LineCrossingAlerts implements AlertLogic {
    private static final double DEAD_BAND = 0.005;
    private static final int FORGET_AFTER_FRAMES = 3000;
    private static final int MAX_TRACKS = 8192;

    private final ObjectFilter filter;
    private final List<Line> lines;
    private final ChannelStates<Channel> channels = new ChannelStates<>(Channel::new);

    /** A wire; wantedSide is +1/-1 for a direction, 0 for either way. */
    private record Line(double ax, double ay, double bx, double by, int wantedSide) {
        double cross(double x, double y) {
            return (bx - ax) * (y - ay) - (by - ay) * (x - ax);
        }

        double length() {
            return Math.hypot(bx - ax, by - ay);
        }
    }

    private static final class Track {
        long lastSeen;
        boolean alarmed;
        final double[] sideX;
        final double[] sideY;
        final int[] side;

        Track(int lines) {
            sideX = new double[lines];
            sideY = new double[lines];
            side = new int[lines];
        }
    }

    private static final class Channel {
        final Map<Long, Track> tracks = new HashMap<>();
    }

    public LineCrossingAlerts(AlgorithmSpec spec) {
        this.filter = new ObjectFilter(spec, List.of(0));
        List<Line> list = new ArrayList<>();
        for (DetectInfo info : spec.detectInfosOrEmpty()) {
            TripWire w = info == null ? null : info.tripWire();
            if (w == null || !w.hasLine() || w.lineStart() == null || w.lineEnd() == null) {
                continue;
            }
            Line line = new Line(
                    w.lineStart().x(),
                    w.lineStart().y(),
                    w.lineEnd().x(),
                    w.lineEnd().y(),
                    0);
            if (line.length() == 0) {
                continue;
            }
            int wanted = 0;
            if (w.hasDirection() && w.directStart() != null && w.directEnd() != null) {
                double dx = w.directEnd().x() - w.directStart().x();
                double dy = w.directEnd().y() - w.directStart().y();
                wanted = (int) Math.signum((line.bx - line.ax) * dy - (line.by - line.ay) * dx);
            }
            list.add(new Line(line.ax, line.ay, line.bx, line.by, wanted));
        }
        this.lines = List.copyOf(list);
    }

    public boolean hasLines() {
        return !lines.isEmpty();
    }

    @Override
    public List<AlarmingObject> onFrame(FrameResult frame) {
        if (lines.isEmpty()) {
            return List.of();
        }
        Channel ch = channels.of(frame);
        long id = frame.frameId();
        double band = DEAD_BAND * (frame.width() + frame.height());
        List<AlarmingObject> out = new ArrayList<>(1);
        for (DetectedObject o : frame.objects()) {
            if (!o.tracked() || !filter.accepts(o)) {
                continue;
            }
            Track t = ch.tracks.computeIfAbsent(o.trackId(), k -> new Track(lines.size()));
            t.lastSeen = id;
            double x = o.box().centerX();
            double y = o.box().bottom();
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                double cross = line.cross(x, y);
                if (Math.abs(cross) / line.length() <= band) {
                    continue; // on the line: keeps its last side
                }
                int side = cross > 0 ? 1 : -1;
                int before = t.side[i];
                double px = t.sideX[i];
                double py = t.sideY[i];
                t.side[i] = side;
                t.sideX[i] = x;
                t.sideY[i] = y;
                if (t.alarmed || before == 0 || before == side) {
                    continue;
                }
                if (line.wantedSide() != 0 && side != line.wantedSide()) {
                    continue;
                }
                if (withinSegment(line, px, py, x, y)) {
                    t.alarmed = true;
                    out.add(AlarmingObject.of(o).with("Line", i));
                    break;
                }
            }
        }
        ch.tracks.values().removeIf(t -> id - t.lastSeen > FORGET_AFTER_FRAMES);
        ChannelStates.bound(ch.tracks, MAX_TRACKS);
        return out;
    }

    /** Whether the move (px,py)→(x,y), which changes side, passes through the wire itself. */
    private static boolean withinSegment(Line line, double px, double py, double x, double y) {
        double mx = x - px;
        double my = y - py;
        double lx = line.bx - line.ax;
        double ly = line.by - line.ay;
        double denom = lx * my - ly * mx;
        if (denom == 0) {
            return false;
        }
        double t = ((px - line.ax) * my - (py - line.ay) * mx) / denom;
        return t >= 0 && t <= 1;
    }
}
