package sophon.bridge.logic;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * What the percentiles of one /counters answer cost a long-running process (a main, not a test):
 * both latency series full ({@value LatencySamples#SIZE} samples), one alarm every other poll, a
 * poll every 5 ms so that caches go cold as between the server's polls 2 s apart. Prints thread
 * CPU per poll for each of 8 rounds of 200 polls:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xmx56m -XX:+UseSerialGC \
 *   -cp business-logic/target/test-classes:business-logic/target/classes sophon.bridge.logic.SummaryBench
 * </pre>
 */
public final class SummaryBench {
    private SummaryBench() {}

    public static void main(String[] args) throws InterruptedException {
        LatencySamples latency = new LatencySamples();
        LatencySamples build = new LatencySamples();
        long now = System.nanoTime();
        Random random = new Random(1);
        for (int i = 0; i < LatencySamples.SIZE; i++) {
            long start = now - (LatencySamples.SIZE - i) * 4_000_000_000L; // one alarm every 4 s
            latency.record(start, start + 20_000_000 + random.nextInt(50_000_000));
            build.record(start, start + 10_000_000 + random.nextInt(5_000_000));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int round = 0; round < 8; round++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            int polls = 200;
            for (int p = 0; p < polls; p++) {
                long t = System.nanoTime();
                if (p % 2 == 0) {
                    latency.record(t, t + 30_000_000);
                    build.record(t, t + 12_000_000);
                }
                long since = t - Counters.LATENCY_WINDOW_SECONDS * 1_000_000_000L;
                sink += latency.summary(since).windowP99Millis()
                        + build.summary(since).p50Millis();
                Thread.sleep(5);
            }
            System.out.printf(
                    "round %d: %.3f ms CPU per poll%n",
                    round, (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / polls);
        }
        System.out.println(sink > 0 ? "" : "-");
    }
}
