package sophon.bridge.frame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The recorded 1080p post of bench/business-logic-bench.sh with its placeholders filled in, for the microbenchmarks. */
public final class RecordedFrame {
    private RecordedFrame() {}

    public static byte[] body(Path template) throws IOException {
        return Files.readString(template)
                .replace("__CH__", "3")
                .replace("__FID__", "2066")
                .replace("__PLATE1__", "ABC123")
                .replace("__PLATE2__", "XYZ789")
                .getBytes(StandardCharsets.UTF_8);
    }
}
