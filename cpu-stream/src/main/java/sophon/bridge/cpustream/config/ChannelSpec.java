package sophon.bridge.cpustream.config;

/**
 * One input channel of the demo config (also the body of /stream/addChannel).
 * fps: 0 = the source's own rate, negative = as fast as possible. loopNum: 0 or negative = forever.
 * base64Port: for BASE64, the port on which images are posted to {@code url} (0 = url is the image).
 */
public record ChannelSpec(
        int channelId,
        String url,
        SourceType sourceType,
        int sampleInterval,
        SampleStrategy sampleStrategy,
        int loopNum,
        double fps,
        int graphId,
        int base64Port) {
    public enum SampleStrategy {
        DROP,
        KEEP
    }

    public boolean forever() {
        return loopNum <= 0;
    }
}
