package sophon.bridge.logic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.task.TaskRequest;

/** GET /snapshot on a running process: nothing kept before anyone asks; then the posted JPEG, byte for byte. */
class SnapshotTest {
    @TempDir
    Path dir;

    @Test
    void answersTheNewestPostedJpegOnlyOnceAsked() throws Exception {
        TaskRequest task = Fixtures.task("snap", Fixtures.everyFrame(), List.of("http://127.0.0.1:9/none"));
        Fixtures.writeTask(dir, task);
        try (LogicProcess process = LogicProcess.start(
                Fixtures.options(dir, 0, null),
                task,
                AlgorithmRegistry.load().plugin(3).orElseThrow())) {
            int port = process.port();
            assertEquals(
                    200,
                    Fixtures.post(port, "/frames", Fixtures.frame(1, Fixtures.scene()))
                            .statusCode());
            // Posted before anyone asked: not kept, so no frame within the wait.
            HttpResponse<String> none = Fixtures.get(port, "/snapshot");
            assertEquals(503, none.statusCode());
            assertTrue(none.body().contains("no frame from the stream"), none.body());

            AtomicBoolean stop = new AtomicBoolean();
            Thread stream = new Thread(() -> {
                for (long id = 2; !stop.get(); id++) {
                    try {
                        Fixtures.post(port, "/frames", Fixtures.frame(id, Fixtures.scene()));
                        Thread.sleep(40);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            stream.start();
            try {
                HttpResponse<byte[]> r = Fixtures.HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/snapshot"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertEquals(
                        "image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
                assertArrayEquals(Base64.getDecoder().decode(Fixtures.scene()), r.body());
            } finally {
                stop.set(true);
                stream.join();
            }
        }
    }
}
