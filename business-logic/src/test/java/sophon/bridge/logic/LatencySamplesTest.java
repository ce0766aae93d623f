package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LatencySamplesTest {
    private static final long MS = 1_000_000L;

    @Test
    void aWindowLeavesOutSamplesThatStartedBeforeIt() {
        LatencySamples samples = new LatencySamples();
        long t0 = 1_000_000 * MS;
        samples.record(t0, t0 + 900 * MS); // warm-up outlier
        for (int i = 1; i <= 100; i++) {
            samples.record(t0 + 1000 * MS + i, t0 + 1000 * MS + i + i * MS); // 1..100 ms
        }
        LatencySamples.Summary window = samples.summary(t0 + 1000 * MS);
        assertEquals(100.0, window.p99Millis(), "over everything the outlier is the 99th percentile");
        assertEquals(51.0, window.p50Millis());
        assertEquals(100, window.windowCount());
        assertEquals(99.0, window.windowP99Millis());
        assertEquals(50.0, window.windowP50Millis());
        LatencySamples.Summary everything = samples.summary(t0);
        assertEquals(101, everything.windowCount());
        assertEquals(100.0, everything.windowP99Millis());
        LatencySamples.Summary none = samples.summary(t0 + 2000 * MS);
        assertEquals(0, none.windowCount());
        assertEquals(-1, none.windowP99Millis());
        assertEquals(100.0, none.p99Millis());
    }

    @Test
    void onlyTheLastSamplesAreKept() {
        LatencySamples samples = new LatencySamples();
        for (int i = 0; i < LatencySamples.SIZE + 10; i++) {
            samples.record(i * MS, i * MS + (i < 10 ? 500 : 1) * MS);
        }
        LatencySamples.Summary s = samples.summary(0);
        assertEquals(LatencySamples.SIZE, s.windowCount());
        assertEquals(1.0, s.p99Millis(), "the first ten (500 ms) were overwritten");
        assertEquals(1.0, LatencySamples.percentileMillis(new long[] {1000, 2000}, 50));
        assertEquals(2.0, LatencySamples.percentileMillis(new long[] {1000, 2000}, 100));
    }

    @Test
    void theSummaryIsComputedAgainOnlyWhenASampleArrivesOrLeavesTheWindow() {
        LatencySamples samples = new LatencySamples();
        long t0 = 1_000_000 * MS;
        samples.record(t0, t0 + 10 * MS);
        samples.record(t0 + 1000 * MS, t0 + 1030 * MS);
        LatencySamples.Summary first = samples.summary(t0);
        assertEquals(2, first.windowCount());
        assertSame(first, samples.summary(t0), "nothing changed: the figures are not sorted again");
        assertSame(first, samples.summary(t0 - 500 * MS), "a window that holds the same samples");

        LatencySamples.Summary aged = samples.summary(t0 + 1); // the first sample left the window
        assertNotSame(first, aged);
        assertEquals(1, aged.windowCount());
        assertEquals(30.0, aged.windowP50Millis());
        assertEquals(10.0, aged.p50Millis(), "all kept samples still count outside the window");

        samples.record(t0 + 2000 * MS, t0 + 2070 * MS); // a new sample, same window count as before
        samples.record(t0 - 1, t0 + 5 * MS);
        LatencySamples.Summary added = samples.summary(t0 + 1);
        assertNotSame(aged, added);
        assertEquals(2, added.windowCount());
        assertEquals(70.0, added.windowP99Millis());
        assertEquals(70.0, added.p99Millis());
        assertEquals(10.0, added.p50Millis());
    }
}
