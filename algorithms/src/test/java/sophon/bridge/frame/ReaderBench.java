package sophon.bridge.frame;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Microbenchmark of the frame hot path (read the post, view it as a frame) on the recorded 1080p
 * post of bench/business-logic-bench.sh. Not a test: run by hand, for example
 * {@code java -XX:TieredStopAtLevel=1 -cp <test and main classes, jackson-core> sophon.bridge.frame.ReaderBench
 * ../bench/business-logic/frame-1080p.json 20000}; prints ns per frame (wall and this thread's CPU)
 * for five rounds after one of warm-up.
 */
public final class ReaderBench {
    private ReaderBench() {}

    public static void main(String[] args) throws Exception {
        byte[] body = RecordedFrame.body(Path.of(args[0]));
        int frames = Integer.parseInt(args[1]);
        ObjectMetadataReader reader = new ObjectMetadataReader();
        // This thread's CPU time as well as wall time: on a shared machine the wall time mostly
        // measures the other processes.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = -1; round < 5; round++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                sink += FrameResult.of(reader.read(body, body.length), i)
                        .objects()
                        .size();
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            long wall = System.nanoTime() - start;
            if (round >= 0) {
                System.out.printf(
                        "round %d: %.0f ns/frame wall, %.0f ns/frame cpu%n",
                        round, wall / (double) frames, cpu / (double) frames);
            }
        }
        System.out.println("objects seen: " + sink);
    }
}
