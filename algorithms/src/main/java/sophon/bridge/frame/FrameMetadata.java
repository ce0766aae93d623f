package sophon.bridge.frame;

/**
 * {@code mFrame} of an ObjectMetadata. A sub-object's frame (a crop) may lack every field but the image.
 *
 * @param image the base64 JPEG ({@code mSpData}) as received; empty when absent
 */
public record FrameMetadata(
        int channelId, long frameId, long timestamp, int width, int height, boolean endOfStream, Base64Image image) {
    public static final Base64Image NO_IMAGE = new Base64Image(new byte[0], 0, 0);

    public FrameMetadata {
        image = image == null ? NO_IMAGE : image;
    }

    /** This frame with its image in its own array (see {@link Base64Image#copy()}). */
    public FrameMetadata withOwnImage() {
        return new FrameMetadata(channelId, frameId, timestamp, width, height, endOfStream, image.copy());
    }
}
