package sophon.bridge.logic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.alarm.AlarmMapper;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.frame.BadFrameException;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObjectMetadata;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.frame.ObjectMetadataWriter;
import sophon.bridge.frame.TrackedObjectMetadata;

/**
 * The class-archive training run ({@code --training=true}). The server starts one business-logic
 * process with {@code -XX:ArchiveClassesAtExit} and this option, and every task's process then
 * maps the archive. Classes in it are shared by all those processes; a class first loaded after
 * the training ends is parsed into each process's own metaspace instead. So the training walks
 * the path a task's frames take: it posts frames to its own port as http_push does, builds one
 * alarm, stores it, offers it to the report targets, asks its own /health, /counters and
 * /snapshot, and returns. The alarm is made from the frame's detection directly, not by the
 * algorithm's alert logic, whose rules (areas, classes, dwell) a made-up frame cannot be sure to
 * meet; the alert logic still sees every frame.
 */
final class Training {
    private static final Logger LOG = LoggerFactory.getLogger(Training.class);
    static final int FRAMES = 40;
    private static final long FRAME_INTERVAL_MS = 40; // 25 frames/s, as a camera
    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(20);
    private static final MediaType JSON = MediaType.get("application/json");

    private Training() {}

    /** True when every step was answered and the alarm was built and offered for delivery. */
    static boolean run(LogicProcess process) {
        long t0 = System.nanoTime();
        String base = "http://127.0.0.1:" + process.port();
        OkHttpClient http =
                new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        try {
            Base64Image image =
                    Base64Image.of(Base64.getEncoder().encodeToString(AlarmMapper.blankJpeg(WIDTH, HEIGHT)));
            CompletableFuture<Void> snapshot = null;
            byte[] body = null;
            for (int i = 1; i <= FRAMES; i++) {
                if (i == FRAMES / 2) { // a snapshot waits for the next frame: ask while they flow
                    snapshot = CompletableFuture.runAsync(() -> call(http, get(base + "/snapshot")));
                }
                body = ObjectMetadataWriter.write(frame(i, image));
                call(
                        http,
                        new Request.Builder()
                                .url(base + "/frames")
                                .post(RequestBody.create(body, JSON))
                                .build());
                Thread.sleep(FRAME_INTERVAL_MS);
            }
            snapshot.join();
            FrameResult last = FrameResult.of(new ObjectMetadataReader().read(body, body.length), System.nanoTime());
            long produced = process.counters().alarmsProduced.sum();
            process.alarmBuilder()
                    .submit(last, List.of(AlarmingObject.of(last.objects().get(0))));
            if (!offered(process.counters(), produced)) {
                LOG.warn("training: the alarm was not offered to a report target within {}", DELIVERY_WAIT);
                return false;
            }
            for (String path : List.of("/health", "/counters", "/counters?window=10")) {
                call(http, get(base + path));
            }
            LOG.info("training: {} frames and one alarm in {} ms", FRAMES, (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (IOException | BadFrameException | RuntimeException e) {
            LOG.warn("training failed: {}", (e instanceof CompletionException ? e.getCause() : e).toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static Request get(String url) {
        return new Request.Builder().url(url).build();
    }

    private static void call(OkHttpClient http, Request request) {
        try (Response response = http.newCall(request).execute()) {
            response.body().bytes();
            if (!response.isSuccessful()) {
                throw new UncheckedIOException(
                        new IOException(request.url().encodedPath() + " answered " + response.code()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until this alarm is stored and the reporter has tried an alarm: delivered, or failed
     * against the training's target (after a failure it waits before the next try, so not
     * necessarily this one).
     */
    private static boolean offered(Counters counters, long producedBefore) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (counters.alarmsProduced.sum() > producedBefore
                    && counters.alarmsDelivered.sum() + counters.alarmsFailed.sum() > 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Frame i: one tracked person walking across the scene. */
    private static ObjectMetadata frame(int i, Base64Image image) {
        Box box = new Box(20 + i * 4, 40, 40, 100);
        return new ObjectMetadata(
                new FrameMetadata(0, i, i * 40_000L, WIDTH, HEIGHT, false, image),
                List.of(new DetectedObjectMetadata(box, 0, List.of(0.9), "person")),
                List.of(new TrackedObjectMetadata(1)),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                25,
                0,
                0);
    }
}
