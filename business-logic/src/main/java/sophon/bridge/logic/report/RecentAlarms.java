package sophon.bridge.logic.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AnalyzeEvent;

/**
 * The last {@value #KEEP} alarms of this entry on disk, for the operator whatever application-web
 * received: per alarm {@code <stem>.json} (time, FrameIndex, events with Type, Box, Extend and the
 * names of their images) beside {@code <stem>-scene.jpg} and {@code <stem>-crop<i>.jpg}. The stem is
 * {@code <epoch ms, 13 digits>-<outbox id>}, so names sort by time and hold only digits, '-', '.'
 * and letters. The JSON is written last (temp file, then rename): a listed alarm has its images.
 * The oldest alarm's files go when the {@value #KEEP}+1st is written.
 */
public final class RecentAlarms {
    public static final String FOLDER = "recent-alarms";
    static final int KEEP = 50;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One alarm as the server lists it. */
    public record Entry(
            @JsonProperty("Time") long time,
            @JsonProperty("TaskID") String taskId,
            @JsonProperty("SrcID") String srcId,
            @JsonProperty("FrameIndex") long frameIndex,
            @JsonProperty("SceneImage") String sceneImage,
            @JsonProperty("Events") List<Event> events) {}

    /** One AnalyzeEvent without its image, which is the file named {@code Image}. */
    public record Event(
            @JsonProperty("Type") int type,
            @JsonProperty("Box") Map<String, Integer> box,
            @JsonProperty("Extend") Map<String, Object> extend,
            @JsonProperty("Image") String image) {}

    /** An alarm on disk: its stem and the names of its images, the JSON ({@code <stem>.json}) aside. */
    private record Kept(String stem, List<String> images) {}

    private final Path dir;
    // Guarded by this, oldest first. The images are known by name, so that removing the oldest
    // alarm does not list the folder (~150 files) once per alarm.
    private final Deque<Kept> kept = new ArrayDeque<>();

    public RecentAlarms(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        TreeMap<String, List<String>> byStem = new TreeMap<>();
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .toList();
        }
        for (String n : names) {
            if (n.endsWith(".json")) {
                byStem.computeIfAbsent(n.substring(0, n.length() - ".json".length()), s -> new ArrayList<>());
            }
        }
        for (String n : names) {
            int dash = n.indexOf('-', n.indexOf('-') + 1); // <time>-<id>-<image>
            List<String> images = dash < 0 ? null : byStem.get(n.substring(0, dash));
            if (images != null) {
                images.add(n);
            }
        }
        byStem.forEach((stem, images) -> kept.addLast(new Kept(stem, images)));
    }

    /** Writes the alarm's files and removes the oldest beyond {@value #KEEP}; on the builder thread. */
    public synchronized void add(Alarm alarm, long id, long epochMillis) throws IOException {
        String stem = stem(epochMillis, id);
        String scene = stem + "-scene.jpg";
        List<String> images = new ArrayList<>(1 + alarm.events().size());
        images.add(scene);
        writeWhole(scene, alarm.sceneJpegBytes());
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < alarm.events().size(); i++) {
            AnalyzeEvent e = alarm.events().get(i);
            String crop = stem + "-crop" + i + ".jpg";
            images.add(crop);
            writeWhole(crop, Base64.getMimeDecoder().decode(e.imageBase64()));
            events.add(new Event(
                    e.type(),
                    Map.of(
                            "LeftTopX",
                            e.box().leftTopX(),
                            "LeftTopY",
                            e.box().leftTopY(),
                            "RightBtmX",
                            e.box().rightBtmX(),
                            "RightBtmY",
                            e.box().rightBtmY()),
                    e.extend(),
                    crop));
        }
        writeWhole(
                stem + ".json",
                JSON.writeValueAsBytes(
                        new Entry(epochMillis, alarm.taskId(), alarm.srcId(), alarm.frameIndex(), scene, events)));
        kept.addLast(new Kept(stem, images));
        while (kept.size() > KEEP) {
            remove(kept.removeFirst());
        }
    }

    /** {@code <epoch ms, 13 digits>-<id>}: names that sort by time (13 digits last until the year 2286). */
    static String stem(long epochMillis, long id) {
        String millis = Long.toString(epochMillis);
        StringBuilder b = new StringBuilder(32);
        for (int i = millis.length(); i < 13; i++) {
            b.append('0');
        }
        return b.append(millis).append('-').append(id).toString();
    }

    private void remove(Kept old) throws IOException {
        Files.deleteIfExists(dir.resolve(old.stem() + ".json")); // first: no listing names images that are gone
        for (String image : old.images()) {
            Files.deleteIfExists(dir.resolve(image));
        }
    }

    private void writeWhole(String name, byte[] bytes) throws IOException {
        AlarmFiles.writeWhole(dir, name, bytes);
    }
}
