package sophon.bridge.logic.intake;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.frame.BadFrameException;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadataReader;
import sophon.bridge.logic.Counters;

/**
 * The hot path of each frame post: read its ObjectMetadata (images cut out, never decoded),
 * count, run the alert logic, hand alarming frames to the builder. Runs on the request thread and
 * never waits for image work or reporting. The alert logic is per-task state, so calls into it are
 * serialised; it is cheap.
 */
public final class FramePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(FramePipeline.class);

    private final ObjectMetadataReader reader = new ObjectMetadataReader();
    private final AlertLogic logic;
    private final AlarmBuilder builder;
    private final Counters counters;
    private final LatestFrame latest;

    public FramePipeline(AlertLogic logic, AlarmBuilder builder, Counters counters, LatestFrame latest) {
        this.logic = logic;
        this.builder = builder;
        this.counters = counters;
        this.latest = latest;
    }

    /**
     * Handles one post; throws BadFrameException (counted) for a post that is not a usable frame.
     * body may be reused by the caller once this returns: nothing keeps a reference to it.
     */
    public void accept(byte[] body, int length, long receivedNanos) throws BadFrameException {
        FrameResult frame;
        try {
            frame = FrameResult.of(reader.read(body, length), receivedNanos);
            if (!frame.image().isEmpty() && !frame.image().looksLikeJpeg()) {
                throw new BadFrameException("mSpData is not a base64 JPEG");
            }
        } catch (BadFrameException e) {
            counters.framesRejected.increment();
            throw e;
        }
        counters.frameReceived(receivedNanos);
        if (frame.endOfStream()) {
            return;
        }
        if (!frame.image().isEmpty()) {
            latest.offer(frame); // copies only while someone looks at the snapshot
        }
        if (frame.hasDetections()) {
            counters.framesWithDetections.increment();
            builder.warmUpOnce();
        }
        List<AlarmingObject> objects;
        try {
            synchronized (logic) {
                objects = logic.onFrame(frame);
            }
        } catch (RuntimeException e) {
            LOG.error("alert logic failed on frame {} of channel {}", frame.frameId(), frame.channelId(), e);
            return;
        }
        if (!objects.isEmpty()) {
            builder.submit(frame, objects); // copies the image out of the request buffer
        }
    }
}
