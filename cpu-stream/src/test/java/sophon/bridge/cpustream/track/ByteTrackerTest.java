package sophon.bridge.cpustream.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.cpustream.frame.Detection;

class ByteTrackerTest {
    private static Detection d(int x, int y, float score) {
        return new Detection(x, y, 40, 100, 0, score, "person");
    }

    @Test
    void twoPeopleWalkingPastEachOtherKeepTheirIds() {
        ByteTracker t = new ByteTracker(0.5f, 0.6f, 0.7f, 10, 30, 30);
        ByteTracker.Result first = t.update(List.of(d(0, 100, 0.9f), d(400, 100, 0.9f)));
        int a = first.trackIds().get(0), b = first.trackIds().get(1);
        assertNotEquals(a, b);
        for (int step = 1; step <= 20; step++) {
            // Reported in swapped order, and crossing at step 16: ids follow the motion, not the list position.
            ByteTracker.Result r = t.update(List.of(d(400 - 12 * step, 100, 0.9f), d(12 * step, 100, 0.9f)));
            assertEquals(2, r.trackIds().size());
            for (int i = 0; i < 2; i++) {
                int expected = r.detections().get(i).x() == 12 * step ? a : b;
                assertEquals(expected, r.trackIds().get(i), "step " + step);
            }
        }
    }

    @Test
    void aLowScoreDetectionKeepsAnExistingTrackButStartsNone() {
        ByteTracker t = new ByteTracker(0.5f, 0.6f, 0.7f, 10, 30, 30);
        int id = t.update(List.of(d(100, 100, 0.9f))).trackIds().get(0);
        ByteTracker.Result r = t.update(List.of(d(104, 100, 0.3f), d(400, 100, 0.3f)));
        assertEquals(
                List.of(id), r.trackIds(), "second stage: low score rescues the track; no new track from low scores");
        assertEquals(104, r.detections().get(0).x());
    }

    @Test
    void aTrackSurvivesAShortGapAndIsDroppedAfterTheBuffer() {
        ByteTracker t = new ByteTracker(0.5f, 0.6f, 0.7f, 10, 30, 3);
        int id = t.update(List.of(d(100, 100, 0.9f))).trackIds().get(0);
        t.update(List.of());
        t.update(List.of());
        assertEquals(List.of(id), t.update(List.of(d(100, 100, 0.9f))).trackIds(), "back after 2 missed frames");
        for (int i = 0; i < 5; i++) {
            t.update(List.of());
        }
        int fresh = t.update(List.of(d(100, 100, 0.9f))).trackIds().get(0);
        assertTrue(fresh != id, "after track_buffer frames the old track is gone");
    }

    @Test
    void tinyBoxesAreIgnored() {
        ByteTracker t = new ByteTracker(0.5f, 0.6f, 0.7f, 500, 30, 30);
        assertTrue(t.update(List.of(new Detection(0, 0, 10, 10, 0, 0.9f, "p")))
                .trackIds()
                .isEmpty());
    }
}
