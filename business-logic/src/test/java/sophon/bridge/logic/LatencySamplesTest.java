package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(900.0, samples.percentileMillis(100));
        assertEquals(100.0, samples.percentileMillis(99), "over everything the outlier is the 99th percentile");
        long since = t0 + 1000 * MS;
        assertEquals(100, samples.countSince(since));
        assertEquals(99.0, samples.percentileMillis(99, since));
        assertEquals(50.0, samples.percentileMillis(50, since));
        assertEquals(101, samples.countSince(t0));
        assertEquals(0, samples.countSince(t0 + 2000 * MS));
        assertEquals(-1, samples.percentileMillis(99, t0 + 2000 * MS));
    }

    @Test
    void onlyTheLastSamplesAreKept() {
        LatencySamples samples = new LatencySamples();
        for (int i = 0; i < LatencySamples.SIZE + 10; i++) {
            samples.record(i * MS, i * MS + (i < 10 ? 500 : 1) * MS);
        }
        assertEquals(LatencySamples.SIZE, samples.countSince(0));
        assertEquals(1.0, samples.percentileMillis(100), "the first ten (500 ms) were overwritten");
    }
}
