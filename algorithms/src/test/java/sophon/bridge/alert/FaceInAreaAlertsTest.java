package sophon.bridge.alert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.alert.Scripts.area;
import static sophon.bridge.alert.Scripts.faceFrame;
import static sophon.bridge.alert.Scripts.spec;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FaceObjectMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.task.AlgorithmSpec;

class FaceInAreaAlertsTest {
    /** Left half of the frame, TrackInterval 3, AlarmInterval 10, threshold 50, faces 20..200 px. */
    private static final AlgorithmSpec SPEC = spec(
            99,
            3,
            1,
            10,
            50,
            new sophon.bridge.task.TargetSize(20, 200),
            List.of(area(0, 0, 960, 0, 960, 1080, 0, 1080)));

    private static FaceObjectMetadata face(int left, double score) {
        return new FaceObjectMetadata(100, 180, left, left + 70, List.of(70.5, 100.5), List.of(130.0, 131.0), score);
    }

    @Test
    void aPostedRetinafaceFaceReachesTheAlertLogicAndAlarmsWithItsLandmarks() throws Exception {
        FaceInAreaAlerts logic = new FaceInAreaAlerts(SPEC);
        List<AlarmingObject> out = List.of();
        for (long id = 0; id < 3; id++) {
            String post = "{\"mFrame\":{\"mFrameId\":" + id + ",\"mWidth\":1920,\"mHeight\":1080,\"mSpData\":\"/9j/\"},"
                    + "\"mFaceObjectMetadata\":[{\"top\":100,\"bottom\":180,\"left\":50,\"right\":120,"
                    + "\"points_x\":[70.5,100.5],\"points_y\":[130,131],\"score\":0.97}]}";
            out = logic.onFrame(FrameResult.of(new ObjectMetadataReader().read(post), 0));
            assertEquals(id == 2, !out.isEmpty(), "alarms after TrackInterval frames, at frame " + id);
        }
        AlarmingObject alarming = out.get(0);
        assertEquals(new Box(50, 100, 70, 80), alarming.box());
        assertEquals("face", alarming.extend().get("ClassName"));
        assertEquals(0.97, alarming.extend().get("Score"));
        assertArrayEquals(new double[] {70.5, 130, 100.5, 131}, (double[])
                alarming.extend().get("Landmarks"));
        assertEquals(3L, alarming.extend().get("StayFrames"));
    }

    @Test
    void weakOutsideOrOddSizedFacesDoNotAlarm() {
        List<FrameResult> weak = new ArrayList<>();
        List<FrameResult> outside = new ArrayList<>();
        List<FrameResult> tiny = new ArrayList<>();
        for (long id = 0; id < 10; id++) {
            weak.add(faceFrame(id, face(100, 0.3)));
            outside.add(faceFrame(id, face(1300, 0.9)));
            tiny.add(faceFrame(id, new FaceObjectMetadata(100, 110, 100, 110, List.of(), List.of(), 0.9)));
        }
        assertTrue(Scripts.alarmsOver(new FaceInAreaAlerts(SPEC), weak).isEmpty());
        assertTrue(Scripts.alarmsOver(new FaceInAreaAlerts(SPEC), outside).isEmpty());
        assertTrue(Scripts.alarmsOver(new FaceInAreaAlerts(SPEC), tiny).isEmpty());
        assertEquals(
                List.of(2L),
                Scripts.alarmsOver(
                        new FaceInAreaAlerts(SPEC),
                        List.of(
                                faceFrame(0, face(100, 0.9)),
                                faceFrame(1, face(100, 0.9)),
                                faceFrame(2, face(100, 0.9)))));
    }

    @Test
    void theDefaultOfANewPluginAlarmsOnFacesAtOnce() {
        AlertLogic passThrough = ClassInAreaAlerts.passThrough(SPEC);
        List<AlarmingObject> out = passThrough.onFrame(faceFrame(0, face(100, 0.9)));
        assertEquals(1, out.size(), "a plugin made on the retinaface set alarms with no code of its own");
        assertEquals("face", out.get(0).extend().get("ClassName"));
        assertTrue(ClassInAreaAlerts.passThrough(SPEC)
                .onFrame(faceFrame(0, face(1300, 0.9)))
                .isEmpty());
        assertTrue(
                new ClassInAreaAlerts(SPEC, List.of(0))
                        .onFrame(faceFrame(0, face(100, 0.9)))
                        .isEmpty(),
                "class-in-area algorithms (yolov5/yolov8) still look at detections only");
    }
}
