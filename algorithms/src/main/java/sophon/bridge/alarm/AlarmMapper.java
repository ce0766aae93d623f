package sophon.bridge.alarm;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.FrameResult;

/**
 * The standard frame → alarm mapping: scene image as received, one event per alarming object
 * with its crop, its box as clamped corners and its Extend plus ObjectCount.
 */
public final class AlarmMapper {
    private AlarmMapper() {}

    public static Alarm map(AlarmContext context, FrameResult frame, List<AlarmingObject> objects)
            throws AlarmImageException {
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("no alarming objects");
        }
        if (!frame.image().looksLikeJpeg()) {
            throw new AlarmImageException(
                    frame.image().isEmpty() ? "the frame carries no image (mSpData)" : "mSpData is not a base64 JPEG");
        }
        byte[] jpeg;
        try {
            jpeg = frame.image().decode();
        } catch (IllegalArgumentException e) {
            throw new AlarmImageException("mSpData is not valid base64: " + e.getMessage(), e);
        }
        List<Box> boxes = objects.stream().map(AlarmingObject::box).toList();
        SceneCrops.Result crops = SceneCrops.crop(jpeg, boxes);
        Base64.Encoder base64 = Base64.getEncoder();
        List<AnalyzeEvent> events = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            Box inside = boxes.get(i).clampTo(crops.width(), crops.height());
            byte[] crop = crops.crops().get(i);
            if (inside == null || crop == null) {
                continue;
            }
            Map<String, Object> extend = new LinkedHashMap<>(objects.get(i).extend());
            extend.put("ObjectCount", objects.size());
            Corners corners = new Corners(inside.x(), inside.y(), inside.right(), inside.bottom());
            events.add(new AnalyzeEvent(context.type(), base64.encodeToString(crop), corners, extend));
        }
        if (events.isEmpty()) {
            throw new AlarmImageException("no alarming object lies inside the image");
        }
        return new Alarm(context.taskId(), context.srcId(), frame.frameId(), frame.image(), events, jpeg);
    }

    /**
     * A generous bound on the heap that building this frame's alarm allocates besides the frame
     * itself, for the builder's memory budget: the decoded JPEG (3/4 of its base64), the alarm
     * JSON twice (its buffer and the array copied out of it) and per object its crop (JPEG,
     * base64, its JSON copies: counted as 2 bytes per pixel of the capped square, where a JPEG
     * at the crops' quality takes under 1). The decoded region is not counted: it is the
     * per-thread image, at most {@value DecodedCrops#REUSED_MAX_BYTES} bytes a builder thread.
     */
    public static long buildBytes(FrameResult frame, List<AlarmingObject> objects) {
        long image = frame.image().length();
        long bytes = image * 3 / 4 + 2 * (image + 1024);
        for (AlarmingObject o : objects) {
            long side = Math.min(SceneCrops.MAX_CROP_SIDE, Math.round(o.box().size() * (1 + 2 * SceneCrops.MARGIN)));
            bytes += 2 * side * side + 2 * 4096;
        }
        return bytes;
    }

    /** A black 192x108 baseline JPEG ({@link #blankJpeg}), kept as a file: see {@link #warmUp}. */
    private static final String WARM_UP_SCENE = "sophon-bridge/warm-up-scene.jpg";

    /**
     * Runs the alarm path once — two crops, base64, alarm JSON — on a small stored scene, so that
     * the first real alarm does not pay the class loading and first slow runs. Meant to run off the
     * frame path when detections first appear. The scene is read from a file, not drawn and
     * encoded: that would load AWT and ImageIO into every process, which the crops of a baseline
     * JPEG do not need. Returns the JSON size (so the work cannot be skipped).
     */
    public static int warmUp() throws IOException, AlarmImageException {
        byte[] scene;
        try (InputStream in = AlarmMapper.class.getClassLoader().getResourceAsStream(WARM_UP_SCENE)) {
            if (in == null) {
                throw new IOException("no " + WARM_UP_SCENE + " on the class path");
            }
            scene = in.readAllBytes();
        }
        Base64Image image = Base64Image.of(Base64.getEncoder().encodeToString(scene));
        List<Box> boxes = List.of(new Box(10, 60, 30, 12), new Box(120, 70, 32, 12));
        SceneCrops.Result crops = SceneCrops.crop(image.decode(), boxes);
        List<AnalyzeEvent> events = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            events.add(new AnalyzeEvent(
                    0,
                    Base64.getEncoder().encodeToString(crops.crops().get(i)),
                    new Corners(b.x(), b.y(), b.right(), b.bottom()),
                    Map.of("ObjectCount", boxes.size())));
        }
        return AlarmJson.toJson(new Alarm("warm-up", "", 0, image, events)).length;
    }

    /** A black width×height JPEG: a scene for warm-up and training runs. */
    public static byte[] blankJpeg(int width, int height) throws IOException {
        BufferedImage scene = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream(4096);
        // An ImageOutputStream of our own: given a plain OutputStream, ImageIO would buffer through a
        // temporary file, whose random name loads SecureRandom and every security provider (~160
        // classes kept for the life of the process) for a 1 KB JPEG.
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(jpeg)) {
            if (!ImageIO.write(scene, "jpeg", out)) {
                throw new IOException("no JPEG writer");
            }
        }
        return jpeg.toByteArray();
    }
}
