package sophon.bridge.server.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a failed child waits before its next start, and how many failures end it. */
class SupervisionPolicyTest {
    @Test
    void backoffStartsAtOneSecondAndDoublesUpToSixty() {
        SupervisionPolicy p = SupervisionPolicy.defaults();
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        for (int failures = 1; failures <= expected.length; failures++) {
            assertEquals(Duration.ofSeconds(expected[failures - 1]), p.backoff(failures), "failure " + failures);
        }
        assertEquals(Duration.ofSeconds(60), p.backoff(1000), "no overflow");
        assertEquals(5, p.maxFailures());
    }
}
