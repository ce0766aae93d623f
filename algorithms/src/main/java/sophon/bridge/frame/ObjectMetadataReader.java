package sophon.bridge.frame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an http_push post into an {@link ObjectMetadata}, every field of the contract. The base64
 * JPEGs (95% of every post) are never copied, decoded or walked by the JSON parser:
 * {@link ImageExcision} cuts them out first, and each image (the frame's, the sub-objects' crops)
 * is kept as a slice of the body. The rest is read with Jackson's streaming parser. Unknown keys
 * are skipped. Thread-safe (per-thread scratch space).
 */
public final class ObjectMetadataReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            // No string limit of Jackson's own (its default is 20 M chars): when the images cannot be cut
            // out first, mSpData goes through the parser, and the body holding it is already bounded by
            // business logic's body limit (--max-body-bytes, up to 512 MB, and a quarter of the heap). A
            // second, different limit would only turn a frame the server accepted into a 400.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    // What a list entry that is not an object reads as, where lists correspond by index.
    private static final TrackedObjectMetadata NO_TRACK = new TrackedObjectMetadata(-1);
    private static final RecognizedObjectMetadata NOTHING_RECOGNIZED =
            new RecognizedObjectMetadata(null, List.of(), List.of());
    private static final Pose NO_POSE = new Pose(List.of());

    private static final ThreadLocal<ImageExcision> EXCISION = ThreadLocal.withInitial(ImageExcision::new);

    /**
     * Reads body[0..length). The images are slices of body: the caller must not reuse body while
     * it keeps the result (or keeps {@link ObjectMetadata#withOwnImages()} instead).
     */
    public ObjectMetadata read(byte[] body, int length) throws BadFrameException {
        ImageExcision excision = EXCISION.get();
        boolean cut = excision.excise(body, length);
        Source source = new Source(body, length, cut ? excision : null);
        try (JsonParser p =
                cut ? JSON.createParser(excision.doc, 0, excision.docLength) : JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadFrameException("body is not a JSON object");
            }
            ObjectMetadata m = readObject(p, source);
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new BadFrameException("body is not a JSON object");
            }
            return m;
        } catch (JsonParseException e) {
            throw new BadFrameException("body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadFrameException("body could not be read as JSON: " + e.getMessage(), e);
        } finally {
            excision.trim();
        }
    }

    /**
     * The text of the JSON string whose content (between its quotes, escapes included) is
     * buffer[offset..offset+length): what the parser makes of a value cut out before parsing.
     */
    static String stringContent(byte[] buffer, int offset, int length) throws IOException {
        byte[] quoted = new byte[length + 2];
        quoted[0] = '"';
        System.arraycopy(buffer, offset, quoted, 1, length);
        quoted[length + 1] = '"';
        try (JsonParser p = JSON.createParser(quoted)) {
            String text = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
            if (text == null || p.nextToken() != null) {
                throw new JsonParseException(p, "not the content of one JSON string");
            }
            return text;
        }
    }

    /** Convenience for tests and tools: the text's UTF-8 bytes, read as a post. */
    public ObjectMetadata read(String json) throws BadFrameException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return read(b, b.length);
    }

    /** The body and, when its images were cut out before parsing, where they are. */
    private record Source(byte[] body, int length, ImageExcision excision) {}

    /** An ObjectMetadata object, the parser on its START_OBJECT; also each sub-object. */
    private static ObjectMetadata readObject(JsonParser p, Source source) throws IOException, BadFrameException {
        FrameMetadata frame = null;
        List<DetectedObjectMetadata> detected = List.of();
        List<TrackedObjectMetadata> tracked = List.of();
        List<RecognizedObjectMetadata> recognized = List.of();
        List<Pose> posed = List.of();
        List<FaceObjectMetadata> faces = List.of();
        List<ObjectMetadata> subObjects = List.of();
        double fps = 0;
        int graphId = 0;
        int subId = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mFrame" -> frame = readFrame(p, value, source);
                case "mDetectedObjectMetadatas" ->
                    detected = readList(p, value, name, ObjectMetadataReader::readDetection, null);
                case "mTrackedObjectMetadatas" ->
                    tracked = readList(p, value, name, ObjectMetadataReader::readTrack, NO_TRACK);
                case "mRecognizedObjectMetadatas" ->
                    recognized = readList(p, value, name, ObjectMetadataReader::readRecognized, NOTHING_RECOGNIZED);
                case "mPosedObjectMetadatas" ->
                    posed = readList(p, value, name, ObjectMetadataReader::readPose, NO_POSE);
                case "mFaceObjectMetadata" -> faces = readList(p, value, name, ObjectMetadataReader::readFace, null);
                case "mSubObjectMetadatas" ->
                    subObjects = readList(p, value, name, sub -> readObject(sub, source), ObjectMetadata.of(null));
                case "mFps" -> fps = number(p, value, name);
                case "mGraphId" -> graphId = (int) integer(p, value, name);
                case "mSubId" -> subId = (int) integer(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new ObjectMetadata(frame, detected, tracked, recognized, posed, faces, subObjects, fps, graphId, subId);
    }

    private static FrameMetadata readFrame(JsonParser p, JsonToken start, Source source)
            throws IOException, BadFrameException {
        if (start != JsonToken.START_OBJECT) {
            throw new BadFrameException("mFrame is not an object");
        }
        int channelId = 0;
        long frameId = 0;
        long timestamp = 0;
        int width = 0;
        int height = 0;
        boolean endOfStream = false;
        Base64Image image = FrameMetadata.NO_IMAGE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mChannelId" -> channelId = (int) integer(p, value, name);
                case "mFrameId" -> frameId = integer(p, value, name);
                case "mTimestamp" -> timestamp = integer(p, value, name);
                case "mWidth" -> width = (int) integer(p, value, name);
                case "mHeight" -> height = (int) integer(p, value, name);
                case "mEndOfStream" -> endOfStream = value == JsonToken.VALUE_TRUE;
                case "mSpData" -> image = imageSlice(p, value, source);
                default -> p.skipChildren();
            }
        }
        return new FrameMetadata(channelId, frameId, timestamp, width, height, endOfStream, image);
    }

    /**
     * The image text as a slice of the body: found among the cut-out values by the parser's
     * offset of its opening quote, or else located in the body the same way (Jackson skips an
     * unread string lazily, so the text is never materialised). Escapes (a JSON writer may send
     * "\/") force the slow path, which unescapes.
     */
    private static Base64Image imageSlice(JsonParser p, JsonToken value, Source source)
            throws IOException, BadFrameException {
        if (value == JsonToken.VALUE_NULL) {
            return FrameMetadata.NO_IMAGE;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new BadFrameException("mSpData is not a string");
        }
        long quote = p.currentTokenLocation().getByteOffset();
        if (source.excision() != null) {
            Base64Image cut = source.excision().slice(source.body(), quote);
            return cut != null ? cut : Base64Image.of(p.getText());
        }
        byte[] body = source.body();
        int length = source.length();
        if (quote >= 0 && quote < length && body[(int) quote] == '"') {
            int start = (int) quote + 1;
            for (int i = start; i < length; i++) {
                byte b = body[i];
                if (b == '"') {
                    return new Base64Image(body, start, i - start);
                }
                if (b == '\\') {
                    break;
                }
            }
        }
        return Base64Image.of(p.getText());
    }

    private static double number(JsonParser p, JsonToken value, String name) throws IOException, BadFrameException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (value == JsonToken.VALUE_NULL) {
            return 0;
        }
        throw new BadFrameException(name + " is not a number");
    }

    /** An integer field; a fractional value (nlohmann writes ints, others may not) is rounded. */
    private static long integer(JsonParser p, JsonToken value, String name) throws IOException, BadFrameException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        return Math.round(number(p, value, name));
    }

    /** Reads one entry of a list, the parser on the entry's START_OBJECT. */
    private interface EntryReader<T> {
        T read(JsonParser p) throws IOException, BadFrameException;
    }

    /**
     * The list named name, each entry read by entry. An entry that is not an object is refused
     * when ifNotObject is null, else skipped and kept as ifNotObject, so that lists which
     * correspond by index stay aligned.
     */
    private static <T> List<T> readList(JsonParser p, JsonToken start, String name, EntryReader<T> entry, T ifNotObject)
            throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            throw new BadFrameException(name + " is not an array");
        }
        List<T> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                out.add(entry.read(p));
            } else if (ifNotObject == null) {
                throw new BadFrameException(name + " holds a non-object");
            } else {
                p.skipChildren();
                out.add(ifNotObject);
            }
        }
        return out;
    }

    private static DetectedObjectMetadata readDetection(JsonParser p) throws IOException, BadFrameException {
        Box box = null;
        int classify = 0;
        List<Double> scores = List.of();
        String label = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mBox" -> box = readBox(p, value);
                case "mClassify" -> classify = (int) integer(p, value, name);
                case "mScores" -> scores = numbers(p, value, name);
                case "mLabelName" -> label = text(p, value);
                default -> p.skipChildren();
            }
        }
        return new DetectedObjectMetadata(box, classify, scores, label);
    }

    private static Box readBox(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_OBJECT) {
            throw new BadFrameException("mBox is not an object");
        }
        long x = 0;
        long y = 0;
        long w = 0;
        long h = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mX" -> x = integer(p, value, name);
                case "mY" -> y = integer(p, value, name);
                case "mWidth" -> w = integer(p, value, name);
                case "mHeight" -> h = integer(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new Box((int) x, (int) y, (int) w, (int) h);
    }

    /** A list of numbers; a value that is not a list reads as empty (older writers sent a scalar). */
    private static List<Double> numbers(JsonParser p, JsonToken start, String name)
            throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<Double> out = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(number(p, p.currentToken(), name));
        }
        return out;
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static TrackedObjectMetadata readTrack(JsonParser p) throws IOException, BadFrameException {
        long id = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("mTrackId")) {
                id = integer(p, value, name);
            } else {
                p.skipChildren();
            }
        }
        return new TrackedObjectMetadata(id);
    }

    private static RecognizedObjectMetadata readRecognized(JsonParser p) throws IOException, BadFrameException {
        String label = null;
        List<Double> scores = List.of();
        List<Integer> topK = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mLabelName" -> label = text(p, value);
                case "mScores" -> scores = numbers(p, value, name);
                case "mTopKLabels" -> topK = integers(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new RecognizedObjectMetadata(label, scores, topK);
    }

    private static List<Integer> integers(JsonParser p, JsonToken start, String name)
            throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<Integer> out = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add((int) integer(p, p.currentToken(), name));
        }
        return out;
    }

    /** A pose's flat [x, y, score, …] as triples; a trailing incomplete triple is dropped. */
    private static Pose readPose(JsonParser p) throws IOException, BadFrameException {
        List<Keypoint> keypoints = new ArrayList<>(18);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken value = p.nextToken();
            if (!p.currentName().equals("keypoints") || value != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            double[] triple = new double[3];
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                triple[n++] = number(p, p.currentToken(), "keypoints");
                if (n == 3) {
                    keypoints.add(new Keypoint(triple[0], triple[1], triple[2]));
                    n = 0;
                }
            }
        }
        return new Pose(keypoints);
    }

    private static FaceObjectMetadata readFace(JsonParser p) throws IOException, BadFrameException {
        long top = 0;
        long bottom = 0;
        long left = 0;
        long right = 0;
        List<Double> pointsX = List.of();
        List<Double> pointsY = List.of();
        double score = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "top" -> top = integer(p, value, name);
                case "bottom" -> bottom = integer(p, value, name);
                case "left" -> left = integer(p, value, name);
                case "right" -> right = integer(p, value, name);
                case "points_x" -> pointsX = numbers(p, value, name);
                case "points_y" -> pointsY = numbers(p, value, name);
                case "score" -> score = number(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new FaceObjectMetadata((int) top, (int) bottom, (int) left, (int) right, pointsX, pointsY, score);
    }
}
