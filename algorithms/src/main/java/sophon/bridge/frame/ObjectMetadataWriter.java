package sophon.bridge.frame;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes an {@link ObjectMetadata} as http_push posts it: the contract's keys, a list key left
 * out when its list is empty, {@code mFps}/{@code mGraphId}/{@code mSubId} always. Images are
 * written straight from their bytes (base64 needs no escaping). Stateless and thread-safe.
 */
public final class ObjectMetadataWriter {
    // The stream belongs to the caller (an HTTP request body may go on after the JSON).
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    /** Room for everything but the images: a few hundred bytes per object. */
    private static final int TEXT_ROOM = 4096;

    private ObjectMetadataWriter() {}

    public static byte[] write(ObjectMetadata m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(imageBytes(m) + TEXT_ROOM);
        try {
            write(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write ObjectMetadata JSON", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the JSON into out (flushed, not closed): http_push writes it straight into the
     * request's buffer, so the ~270 KB of a 1080p frame is not first gathered in an array.
     */
    public static void write(ObjectMetadata m, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            writeObject(g, m);
        }
    }

    private static int imageBytes(ObjectMetadata m) {
        int n = m.frame() == null ? 0 : m.frame().image().length();
        for (ObjectMetadata s : m.subObjects()) {
            n += imageBytes(s);
        }
        return n;
    }

    /** Writes one entry's fields (inside its braces). */
    private interface EntryWriter<T> {
        void write(JsonGenerator g, T entry) throws IOException;
    }

    /** The list as an array of objects under name; nothing at all when it is empty, as http_push does. */
    private static <T> void writeList(JsonGenerator g, String name, List<T> list, EntryWriter<T> entry)
            throws IOException {
        if (list.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (T t : list) {
            g.writeStartObject();
            entry.write(g, t);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeObject(JsonGenerator g, ObjectMetadata m) throws IOException {
        g.writeStartObject();
        writeFields(g, m);
        g.writeEndObject();
    }

    private static void writeFields(JsonGenerator g, ObjectMetadata m) throws IOException {
        if (m.frame() != null) {
            writeFrame(g, m.frame());
        }
        writeList(g, "mDetectedObjectMetadatas", m.detected(), ObjectMetadataWriter::writeDetection);
        writeList(g, "mTrackedObjectMetadatas", m.tracked(), (gen, t) -> gen.writeNumberField("mTrackId", t.trackId()));
        writeList(g, "mRecognizedObjectMetadatas", m.recognized(), ObjectMetadataWriter::writeRecognized);
        writeList(g, "mPosedObjectMetadatas", m.posed(), ObjectMetadataWriter::writePose);
        writeList(g, "mFaceObjectMetadata", m.faces(), ObjectMetadataWriter::writeFace);
        writeList(g, "mSubObjectMetadatas", m.subObjects(), ObjectMetadataWriter::writeFields);
        g.writeNumberField("mFps", m.fps());
        g.writeNumberField("mGraphId", m.graphId());
        g.writeNumberField("mSubId", m.subId());
    }

    private static void writeDetection(JsonGenerator g, DetectedObjectMetadata d) throws IOException {
        if (d.box() != null) {
            g.writeObjectFieldStart("mBox");
            g.writeNumberField("mX", d.box().x());
            g.writeNumberField("mY", d.box().y());
            g.writeNumberField("mWidth", d.box().width());
            g.writeNumberField("mHeight", d.box().height());
            g.writeEndObject();
        }
        g.writeNumberField("mClassify", d.classify());
        writeNumbers(g, "mScores", d.scores());
        if (d.labelName() != null) {
            g.writeStringField("mLabelName", d.labelName());
        }
    }

    private static void writeRecognized(JsonGenerator g, RecognizedObjectMetadata r) throws IOException {
        if (r.labelName() != null) {
            g.writeStringField("mLabelName", r.labelName());
        }
        writeNumbers(g, "mScores", r.scores());
        g.writeArrayFieldStart("mTopKLabels");
        for (int label : r.topKLabels()) {
            g.writeNumber(label);
        }
        g.writeEndArray();
    }

    /** Keypoints flat, [x, y, score, …], as sophon-stream posts them. */
    private static void writePose(JsonGenerator g, Pose pose) throws IOException {
        g.writeArrayFieldStart("keypoints");
        for (Keypoint k : pose.keypoints()) {
            g.writeNumber(k.x());
            g.writeNumber(k.y());
            g.writeNumber(k.score());
        }
        g.writeEndArray();
    }

    private static void writeFace(JsonGenerator g, FaceObjectMetadata f) throws IOException {
        g.writeNumberField("top", f.top());
        g.writeNumberField("bottom", f.bottom());
        g.writeNumberField("left", f.left());
        g.writeNumberField("right", f.right());
        writeNumbers(g, "points_x", f.pointsX());
        writeNumbers(g, "points_y", f.pointsY());
        g.writeNumberField("score", f.score());
    }

    private static void writeFrame(JsonGenerator g, FrameMetadata f) throws IOException {
        g.writeObjectFieldStart("mFrame");
        g.writeNumberField("mChannelId", f.channelId());
        g.writeNumberField("mFrameId", f.frameId());
        g.writeNumberField("mTimestamp", f.timestamp());
        g.writeNumberField("mWidth", f.width());
        g.writeNumberField("mHeight", f.height());
        g.writeBooleanField("mEndOfStream", f.endOfStream());
        g.writeFieldName("mSpData");
        f.image().writeJsonString(g);
        g.writeEndObject();
    }

    private static void writeNumbers(JsonGenerator g, String name, List<Double> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (double v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }
}
