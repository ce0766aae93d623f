package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    private static final long MS = 1_000_000L;

    @Test
    void eachDurationLandsInTheFirstBucketItFitsAndLongOnesInTheLast() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(0, 10 * MS); // exactly on the first bound: le=10 counts it
        h.record(0, 10 * MS + 1000); // 10.001 ms: the next bucket
        h.record(0, 400 * MS); // le=500
        h.record(0, 3_600_000 * MS); // an hour: above every bound
        Map<String, Object> s = h.snapshot();
        long[] counts = (long[]) s.get("counts");
        long[] expected = new long[LatencyHistogram.BOUNDS_MS.length + 1];
        expected[0] = 1;
        expected[1] = 1;
        expected[5] = 1;
        expected[expected.length - 1] = 1;
        assertArrayEquals(expected, counts);
        assertEquals(10 + 10.001 + 400 + 3_600_000, (double) s.get("sumMs"), 1e-6);
    }
}
