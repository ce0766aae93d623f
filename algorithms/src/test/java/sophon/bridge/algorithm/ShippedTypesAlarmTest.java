package sophon.bridge.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.Keypoint;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.frame.Pose;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.Point;
import sophon.bridge.task.TripWire;

/**
 * What application-web's shipped types mean (business-logic/README.md, "Alert rules"), through the
 * plugin the type map gives, as the business-logic process gets it: each type, fed frames that
 * should alarm, alarms once; fed look-alike frames that should not, stays silent.
 */
class ShippedTypesAlarmTest {
    private static final int W = 1920;
    private static final int H = 1080;
    /** A vertical tripwire in the middle of the frame, no direction. */
    private static final List<DetectInfo> WIRE = List.of(
            new DetectInfo(new TripWire(new Point(960, 0), new Point(960, H), new Point(0, 0), new Point(0, 0)), null));

    private static FrameResult frame(long id, List<DetectedObject> objects, List<Pose> poses) {
        FrameMetadata frame = new FrameMetadata(0, id, id * 40_000, W, H, false, Base64Image.of("/9j/AA=="));
        return new FrameResult(ObjectMetadata.of(frame).withPosed(poses), objects, 0, System.nanoTime());
    }

    private static FrameResult objects(long id, DetectedObject... objects) {
        return frame(id, List.of(objects), List.of());
    }

    private static DetectedObject person(int x, long track) {
        return new DetectedObject(0, new Box(x, 400, 80, 200), 0, 0.9, "person", track, null);
    }

    private static DetectedObject car(int x) {
        return new DetectedObject(0, new Box(x, 400, 200, 120), 2, 0.9, "car", 3, null);
    }

    private static DetectedObject plate(String text) {
        return new DetectedObject(0, new Box(500, 500, 120, 40), 0, 0.9, "plate", -1, text);
    }

    private static Pose pose(double score) {
        return new Pose(
                List.of(new Keypoint(500, 400, score), new Keypoint(520, 450, score), new Keypoint(540, 500, score)));
    }

    /** Per type: frames that should raise an alarm, and frames of the same kind that should not. */
    static Stream<Arguments> shippedTypes() {
        LongFunction<FrameResult> crossing = id -> objects(id, person(700 + (int) id * 50, 7));
        LongFunction<FrameResult> staysLeft = id -> objects(id, person(100 + (int) id * 50, 7));
        LongFunction<FrameResult> plateRead = id -> objects(id, plate("A12345"));
        LongFunction<FrameResult> plateUnread = id -> objects(id, plate(null));
        LongFunction<FrameResult> personStays = id -> objects(id, person(500, 4));
        LongFunction<FrameResult> carStays = id -> objects(id, car(500));
        LongFunction<FrameResult> clearPose = id -> frame(id, List.of(), List.of(pose(0.9)));
        LongFunction<FrameResult> faintPose = id -> frame(id, List.of(), List.of(pose(0.2)));
        return Stream.of(
                Arguments.of(1, "a person crossing the wire", WIRE, crossing, staysLeft),
                Arguments.of(2, "a plate read in a row", List.of(), plateRead, plateUnread),
                Arguments.of(16, "a plate read in a row", List.of(), plateRead, plateUnread),
                Arguments.of(3, "a person staying", List.of(), personStays, carStays),
                Arguments.of(4, "a person staying", List.of(), personStays, carStays),
                Arguments.of(5, "a clear pose staying", List.of(), clearPose, faintPose));
    }

    /** Frame ids 0..9 at which the type's alert logic (TrackInterval 3, AlarmInterval 100) alarms. */
    private static List<Long> alarmingFrames(int type, List<DetectInfo> infos, LongFunction<FrameResult> frames) {
        AlgorithmSpec spec = new AlgorithmSpec(type, 3, 1, 100, 50.0, null, infos, null);
        AlertLogic logic = AlgorithmRegistry.load().plugin(type).orElseThrow().newAlertLogic(spec);
        List<Long> out = new ArrayList<>();
        for (long id = 0; id < 10; id++) {
            if (!logic.onFrame(frames.apply(id)).isEmpty()) {
                out.add(id);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "type {0} alarms once on {1}, and not on a look-alike")
    @MethodSource("shippedTypes")
    void alarmsOnceOnItsEventAndNotOnALookAlike(
            int type,
            String event,
            List<DetectInfo> infos,
            LongFunction<FrameResult> alarming,
            LongFunction<FrameResult> lookAlike) {
        assertEquals(1, alarmingFrames(type, infos, alarming).size(), "type " + type + ": " + event);
        assertTrue(alarmingFrames(type, infos, lookAlike).isEmpty(), "type " + type + ": only " + event + " alarms");
    }
}
