package sophon.bridge.alarm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.frame.RecordedFrame;

/**
 * Microbenchmark of an alarm's crops of the recorded 1080p frame, ImageIO's region decode and
 * JPEG encode ({@link DecodedCrops#crop}, the path before JpegCrop, still taken by JPEGs it does
 * not handle) against the lossless DCT-domain crop ({@link SceneCrops#crop} on a baseline JPEG:
 * header parse, squares, {@link JpegCrop}), alternated call by call. Not a test:
 * run by hand, for example {@code java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xmx56m
 * -XX:+UseSerialGC -cp <test and main classes, jackson jars> sophon.bridge.alarm.CropBench
 * ../bench/business-logic/frame-1080p.json 200 20}: rounds, then ms between rounds (so that, as in
 * a task's process, the code is run too rarely to be compiled early). Prints the median of this
 * thread's CPU per call over the last two thirds of the rounds, for the frame's own two plate boxes
 * and for AlarmBench's standing person, and the bytes of each crop.
 */
public final class CropBench {
    private CropBench() {}

    public static void main(String[] args) throws Exception {
        byte[] body = RecordedFrame.body(Path.of(args[0]));
        int rounds = Integer.parseInt(args[1]);
        long gapMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        FrameResult frame = FrameResult.of(new ObjectMetadataReader().read(body, body.length), 0)
                .withOwnImage();
        byte[] jpeg = frame.image().decode();
        List<Box> plates = frame.objects().stream().map(DetectedObject::box).toList();
        List<Box> person = List.of(new Box(900, 500, 120, 320));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (List<Box> boxes : List.of(plates, person)) {
            long[] imageIo = new long[rounds];
            long[] lossless = new long[rounds];
            List<byte[]> before = null;
            List<byte[]> after = null;
            for (int i = 0; i < rounds; i++) {
                long t0 = threads.getCurrentThreadCpuTime();
                before = DecodedCrops.crop(jpeg, boxes).crops();
                long t1 = threads.getCurrentThreadCpuTime();
                after = SceneCrops.crop(jpeg, boxes).crops();
                long t2 = threads.getCurrentThreadCpuTime();
                imageIo[i] = t1 - t0;
                lossless[i] = t2 - t1;
                if (gapMs > 0) {
                    Thread.sleep(gapMs);
                }
            }
            System.out.printf(
                    "%d box(es) %s: ms CPU per alarm, median of rounds %d to %d: decoded %.3f, JpegCrop %.3f;"
                            + " crop bytes decoded %s, JpegCrop %s (squares %s)%n",
                    boxes.size(),
                    boxes,
                    rounds / 3,
                    rounds,
                    median(imageIo, rounds / 3),
                    median(lossless, rounds / 3),
                    before.stream().map(b -> b.length).toList(),
                    after.stream().map(b -> b.length).toList(),
                    squares(JpegCrop.parse(jpeg).orElseThrow(), boxes));
        }
    }

    private static List<String> squares(JpegCrop source, List<Box> boxes) {
        return boxes.stream()
                .map(b -> source.aligned(SceneCrops.square(b, source.width(), source.height())))
                .map(r -> r.width() + "x" + r.height() + "@" + r.x() + "," + r.y())
                .toList();
    }

    private static double median(long[] nanos, int from) {
        long[] counted = Arrays.copyOfRange(nanos, from, nanos.length);
        Arrays.sort(counted);
        return counted[counted.length / 2] / 1e6;
    }
}
