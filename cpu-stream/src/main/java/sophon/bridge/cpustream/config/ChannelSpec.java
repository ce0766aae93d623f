package sophon.bridge.cpustream.config;

/**
 * One input channel of the demo config (also the body of /stream/addChannel).
 * fps: 0 = the source's own rate, negative = as fast as possible. loopNum: 0 or negative = forever.
 */
public record ChannelSpec(int channelId, String url, SourceType sourceType, int sampleInterval,
                          SampleStrategy sampleStrategy, int loopNum, double fps, int graphId) {
    public enum SampleStrategy { DROP, KEEP }

    public boolean forever() { return loopNum <= 0; }
}
