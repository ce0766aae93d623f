package sophon.bridge.alarm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.frame.RecordedFrame;

/**
 * Microbenchmark of one alarm's build on the recorded 1080p post of bench/business-logic-bench.sh,
 * at a box's alarm rate rather than in a hot loop: one alarm every gap ms, so that, as in a task's
 * process, the alarm path's code is run too rarely to be compiled early. Not a test: run by hand,
 * for example {@code java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xmx56m -XX:+UseSerialGC
 * -cp <test and main classes, jackson jars> sophon.bridge.alarm.AlarmBench
 * ../bench/business-logic/frame-1080p.json 90 100}; prints this thread's CPU per alarm over the last
 * two thirds of them: the whole build, the scene's base64 decode, the crop (region decode and JPEG
 * encode), the alarm JSON.
 */
public final class AlarmBench {
    private AlarmBench() {}

    public static void main(String[] args) throws Exception {
        byte[] body = RecordedFrame.body(Path.of(args[0]));
        int alarms = Integer.parseInt(args[1]);
        long gapMs = Long.parseLong(args[2]);
        FrameResult frame = FrameResult.of(new ObjectMetadataReader().read(body, body.length), 0)
                .withOwnImage();
        // A standing person in the middle of the frame: its crop square reaches row 884 of 1080.
        List<AlarmingObject> objects = List.of(new AlarmingObject(new Box(900, 500, 120, 320), Map.of("TrackID", 7)));
        AlarmContext context = new AlarmContext("bench", "camera", 3);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long decode = 0;
        long map = 0;
        long json = 0;
        long sink = 0;
        int counted = 0;
        for (int i = 0; i < alarms; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            sink += frame.image().decode().length;
            long t1 = threads.getCurrentThreadCpuTime();
            Alarm alarm = AlarmMapper.map(context, frame, objects);
            long t2 = threads.getCurrentThreadCpuTime();
            sink += AlarmJson.toJson(alarm).length;
            long t3 = threads.getCurrentThreadCpuTime();
            if (i >= alarms / 3) {
                counted++;
                decode += t1 - t0;
                map += t2 - t1;
                json += t3 - t2;
            }
            Thread.sleep(gapMs);
        }
        double n = counted * 1e6;
        System.out.printf(
                "alarms %d to %d, one every %d ms: %.2f ms CPU per alarm: map %.2f (of which base64 decode %.2f,"
                        + " crop %.2f), JSON %.2f%n",
                alarms / 3, alarms, gapMs, (map + json) / n, map / n, decode / n, (map - decode) / n, json / n);
        System.out.println("bytes seen: " + sink);
    }
}
