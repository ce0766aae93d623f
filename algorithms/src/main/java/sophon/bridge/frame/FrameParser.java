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
 * Streaming parser for http_push posts. The base64 JPEGs (95% of every post) are never copied,
 * decoded or walked by the JSON parser: {@link ImageExcision} cuts them out first, and the frame's
 * image is kept as a slice of the body. Thread-safe (per-thread scratch space).
 */
public final class FrameParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            // No string limit of Jackson's own (its default is 20 M chars): when the images cannot be cut
            // out first, mSpData goes through the parser, and the body holding it is already bounded by
            // business logic's body limit (--max-body-bytes, up to 512 MB, and a quarter of the heap). A
            // second, different limit would only turn a frame the server accepted into a 400.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private static final ThreadLocal<ImageExcision> EXCISION = ThreadLocal.withInitial(ImageExcision::new);

    /**
     * Parses body[0..length); receivedNanos is stamped into the result. The result's image is a
     * slice of body: the caller must not reuse body while it keeps the result.
     */
    public FrameResult parse(byte[] body, int length, long receivedNanos) throws BadFrameException {
        ImageExcision excision = EXCISION.get();
        boolean cut = excision.excise(body, length);
        Source source = new Source(body, length, cut ? excision : null);
        try (JsonParser p =
                cut ? JSON.createParser(excision.doc, 0, excision.docLength) : JSON.createParser(body, 0, length)) {
            return parseRoot(p, source, receivedNanos);
        } catch (JsonParseException e) {
            throw new BadFrameException("body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadFrameException("body could not be read as JSON: " + e.getMessage(), e);
        } finally {
            excision.trim();
        }
    }

    /** The body and, when its images were cut out before parsing, where they are. */
    private record Source(byte[] body, int length, ImageExcision excision) {}

    private FrameResult parseRoot(JsonParser p, Source source, long receivedNanos)
            throws IOException, BadFrameException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new BadFrameException("body is not a JSON object");
        }
        FrameHeader header = null;
        List<RawDetection> detections = List.of();
        List<Long> tracks = List.of();
        List<String> plates = List.of();
        List<Pose> poses = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mFrame" -> header = parseFrame(p, value, source);
                case "mDetectedObjectMetadatas" -> detections = parseDetections(p, value);
                case "mTrackedObjectMetadatas" -> tracks = parseTracks(p, value);
                case "mSubObjectMetadatas" -> plates = parseSubObjects(p, value);
                case "mPosedObjectMetadatas" -> poses = parsePoses(p, value);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new BadFrameException("body is not a JSON object");
        }
        if (header == null) {
            throw new BadFrameException("post lacks mFrame");
        }
        if (header.width <= 0 || header.height <= 0) {
            throw new BadFrameException("mFrame has no positive mWidth/mHeight");
        }
        List<DetectedObject> objects = new ArrayList<>(detections.size());
        int rejected = 0;
        for (int i = 0; i < detections.size(); i++) {
            RawDetection d = detections.get(i);
            Box box = d.box == null || d.box.width() <= 0 || d.box.height() <= 0
                    ? null
                    : d.box.clampTo(header.width, header.height);
            if (box == null) {
                rejected++;
                continue;
            }
            long track = i < tracks.size() ? tracks.get(i) : -1;
            String plate = i < plates.size() ? plates.get(i) : null;
            objects.add(new DetectedObject(i, box, d.classId, d.score, d.label, track, plate));
        }
        return new FrameResult(
                header.channelId,
                header.frameId,
                header.timestamp,
                header.width,
                header.height,
                header.endOfStream,
                header.image,
                objects,
                poses,
                rejected,
                receivedNanos);
    }

    private static final class FrameHeader {
        int channelId;
        long frameId;
        long timestamp;
        int width;
        int height;
        boolean endOfStream;
        Base64Image image = new Base64Image(new byte[0], 0, 0);
    }

    private record RawDetection(Box box, int classId, double score, String label) {}

    private FrameHeader parseFrame(JsonParser p, JsonToken start, Source source) throws IOException, BadFrameException {
        if (start != JsonToken.START_OBJECT) {
            throw new BadFrameException("mFrame is not an object");
        }
        FrameHeader h = new FrameHeader();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mChannelId" -> h.channelId = (int) number(p, value, name);
                case "mFrameId" -> h.frameId = (long) number(p, value, name);
                case "mTimestamp" -> h.timestamp = (long) number(p, value, name);
                case "mWidth" -> h.width = (int) number(p, value, name);
                case "mHeight" -> h.height = (int) number(p, value, name);
                case "mEndOfStream" -> h.endOfStream = value == JsonToken.VALUE_TRUE;
                case "mSpData" -> h.image = imageSlice(p, value, source);
                default -> p.skipChildren();
            }
        }
        return h;
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
            return new Base64Image(new byte[0], 0, 0);
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

    private List<RawDetection> parseDetections(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            throw new BadFrameException("mDetectedObjectMetadatas is not an array");
        }
        List<RawDetection> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new BadFrameException("mDetectedObjectMetadatas holds a non-object");
            }
            Box box = null;
            int classId = 0;
            double score = 1.0;
            String label = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "mBox" -> box = parseBox(p, value);
                    case "mClassify" -> classId = (int) number(p, value, name);
                    case "mScores" -> score = firstScore(p, value);
                    case "mLabelName" -> label = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            out.add(new RawDetection(box, classId, score, label));
        }
        return out;
    }

    private static Box parseBox(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_OBJECT) {
            throw new BadFrameException("mBox is not an object");
        }
        double x = 0;
        double y = 0;
        double w = 0;
        double h = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "mX" -> x = number(p, value, name);
                case "mY" -> y = number(p, value, name);
                case "mWidth" -> w = number(p, value, name);
                case "mHeight" -> h = number(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new Box((int) Math.round(x), (int) Math.round(y), (int) Math.round(w), (int) Math.round(h));
    }

    private static double firstScore(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            p.skipChildren();
            return 1.0;
        }
        double score = 1.0;
        boolean first = true;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (first) {
                score = number(p, p.currentToken(), "mScores");
                first = false;
            } else {
                p.skipChildren();
            }
        }
        return score;
    }

    private static List<Long> parseTracks(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            throw new BadFrameException("mTrackedObjectMetadatas is not an array");
        }
        List<Long> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long id = -1;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("mTrackId")) {
                        id = (long) number(p, value, name);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            out.add(id);
        }
        return out;
    }

    /** Sub-objects' first recognised label (a plate's text); their crops are skipped unread. */
    private static List<String> parseSubObjects(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            throw new BadFrameException("mSubObjectMetadatas is not an array");
        }
        List<String> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String text = null;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("mRecognizedObjectMetadatas") && value == JsonToken.START_ARRAY) {
                        text = firstLabel(p);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            out.add(text);
        }
        return out;
    }

    private static String firstLabel(JsonParser p) throws IOException {
        String label = null;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT && label == null) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("mLabelName") && value == JsonToken.VALUE_STRING) {
                        label = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return label;
    }

    private static List<Pose> parsePoses(JsonParser p, JsonToken start) throws IOException, BadFrameException {
        if (start != JsonToken.START_ARRAY) {
            throw new BadFrameException("mPosedObjectMetadatas is not an array");
        }
        List<Pose> out = new ArrayList<>(2);
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            List<Keypoint> keypoints = new ArrayList<>(54);
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("keypoints") && value == JsonToken.START_ARRAY) {
                        List<Double> flat = new ArrayList<>(54);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            flat.add(number(p, p.currentToken(), "keypoints"));
                        }
                        for (int i = 0; i + 2 < flat.size(); i += 3) {
                            keypoints.add(new Keypoint(flat.get(i), flat.get(i + 1), flat.get(i + 2)));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            out.add(new Pose(index++, keypoints));
        }
        return out;
    }

    /** Convenience for tests and tools. */
    public FrameResult parse(String json) throws BadFrameException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return parse(b, b.length, System.nanoTime());
    }
}
