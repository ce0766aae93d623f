package sophon.bridge.logic.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.frame.ObjectMetadataWriter;

/** The recorded http_push post of the benchmark, read as FramePipeline reads every post. */
class RecordedFrameTest {
    private static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."));

    @Test
    void readsTheRecorded1080pPostAndWritesItBackTheSame() throws Exception {
        // a real 1080p JPEG with two plates, their tracks and crops (bench/business-logic/make-frame.sh)
        String recorded = Files.readString(HOME.resolve("bench/business-logic/frame-1080p.json"))
                .replace("__CH__", "5")
                .replace("__FID__", "2066")
                .replace("__PLATE1__", "皖AD10005")
                .replace("__PLATE2__", "京A12345");
        byte[] body = recorded.getBytes(StandardCharsets.UTF_8);
        ObjectMetadataReader reader = new ObjectMetadataReader();
        ObjectMetadata m = reader.read(body, body.length);
        assertEquals(5, m.frame().channelId());
        assertEquals(1920, m.frame().width());
        assertTrue(m.frame().image().looksLikeJpeg());
        assertTrue(m.frame().image().length() > 100_000);
        assertTrue(m.subObjects().get(1).frame().image().looksLikeJpeg());
        assertEquals(25.0, m.fps());
        FrameResult f = FrameResult.of(m, 0);
        assertEquals(
                List.of("皖AD10005", "京A12345"),
                f.objects().stream().map(DetectedObject::plateText).toList());
        assertEquals(8, f.objects().get(1).trackId());
        byte[] again = ObjectMetadataWriter.write(m);
        assertEquals(m, reader.read(again, again.length), "written back, it reads the same");
    }
}
