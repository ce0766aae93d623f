package sophon.bridge.cpustream.track;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import sophon.bridge.cpustream.frame.Detection;

/**
 * ByteTrack-style multi-object tracker: boxes are predicted with a constant-velocity model,
 * high-score detections are associated first (against tracked and recently lost tracks),
 * then low-score detections rescue the still-unmatched tracked ones. Greedy IoU matching
 * replaces the Hungarian step: with a handful of objects per frame the result is the same
 * in practice and the code stays small. Not thread-safe: one instance per channel.
 */
public final class ByteTracker {
    /** The output: detections that belong to a track, with the track ids in the same order. */
    public record Result(List<Detection> detections, List<Integer> trackIds) {}

    private final float trackThresh;
    private final float highThresh;
    private final float matchThresh;
    private final int minBoxArea;
    private final int maxLostFrames;
    private final List<Track> tracks = new ArrayList<>();
    private int nextId = 1;
    private long frame;

    public ByteTracker(
            float trackThresh, float highThresh, float matchThresh, int minBoxArea, int frameRate, int trackBuffer) {
        this.trackThresh = trackThresh;
        this.highThresh = highThresh;
        this.matchThresh = matchThresh;
        this.minBoxArea = minBoxArea;
        this.maxLostFrames = Math.max(1, (int) Math.round(frameRate / 30.0 * trackBuffer));
    }

    public Result update(List<Detection> detections) {
        frame++;
        for (Track t : tracks) {
            t.predict();
        }
        List<Detection> high = new ArrayList<>(), low = new ArrayList<>();
        for (Detection d : detections) {
            if ((long) d.width() * d.height() < minBoxArea) {
                continue;
            }
            if (d.score() >= trackThresh) {
                high.add(d);
            } else if (d.score() >= 0.1f) {
                low.add(d);
            }
        }
        List<Detection> outDet = new ArrayList<>();
        List<Integer> outIds = new ArrayList<>();

        List<Track> pool = new ArrayList<>(tracks);
        List<Detection> unmatchedHigh = associate(pool, high, 1 - matchThresh, outDet, outIds);
        pool.removeIf(t -> t.lastSeen == frame || t.lost());
        associate(pool, low, 0.5, outDet, outIds);

        for (Detection d : unmatchedHigh) {
            if (d.score() < highThresh) {
                continue;
            }
            Track t = new Track(nextId++, d, frame);
            tracks.add(t);
            outDet.add(d);
            outIds.add(t.id);
        }
        for (Iterator<Track> it = tracks.iterator(); it.hasNext(); ) {
            Track t = it.next();
            if (frame - t.lastSeen > maxLostFrames) {
                it.remove();
            }
        }
        return new Result(outDet, outIds);
    }

    /** Greedy highest-IoU-first matching; returns the detections left unmatched. */
    private List<Detection> associate(
            List<Track> pool, List<Detection> dets, double minIou, List<Detection> outDet, List<Integer> outIds) {
        List<double[]> pairs = new ArrayList<>();
        for (int ti = 0; ti < pool.size(); ti++) {
            for (int di = 0; di < dets.size(); di++) {
                double iou = pool.get(ti).predicted().iou(dets.get(di));
                if (iou >= minIou) {
                    pairs.add(new double[] {iou, ti, di});
                }
            }
        }
        pairs.sort((a, b) -> Double.compare(b[0], a[0]));
        boolean[] trackUsed = new boolean[pool.size()], detUsed = new boolean[dets.size()];
        for (double[] p : pairs) {
            int ti = (int) p[1], di = (int) p[2];
            if (trackUsed[ti] || detUsed[di]) {
                continue;
            }
            trackUsed[ti] = true;
            detUsed[di] = true;
            Track t = pool.get(ti);
            t.update(dets.get(di), frame);
            outDet.add(dets.get(di));
            outIds.add(t.id);
        }
        List<Detection> rest = new ArrayList<>();
        for (int di = 0; di < dets.size(); di++) {
            if (!detUsed[di]) {
                rest.add(dets.get(di));
            }
        }
        return rest;
    }

    private final class Track {
        final int id;
        double x, y, w, h, vx, vy, vw, vh;
        long lastSeen;

        Track(int id, Detection d, long frame) {
            this.id = id;
            x = d.x();
            y = d.y();
            w = d.width();
            h = d.height();
            lastSeen = frame;
        }

        boolean lost() {
            return lastSeen < frame - 1;
        }

        void predict() {
            x += vx;
            y += vy;
            w = Math.max(1, w + vw);
            h = Math.max(1, h + vh);
        }

        Detection predicted() {
            return new Detection(
                    (int) Math.round(x), (int) Math.round(y), (int) Math.round(w), (int) Math.round(h), 0, 0, "");
        }

        void update(Detection d, long now) {
            // Velocity is the smoothed per-frame motion between the prediction and the measurement.
            double a = 0.5;
            vx = a * vx + (1 - a) * (vx + d.x() - x);
            vy = a * vy + (1 - a) * (vy + d.y() - y);
            vw = 0.5 * vw;
            vh = 0.5 * vh;
            x = d.x();
            y = d.y();
            w = d.width();
            h = d.height();
            lastSeen = now;
        }
    }
}
