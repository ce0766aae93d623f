package sophon.bridge.cpustream.control;

/** Where runtime errors go besides the log: sophon-stream's http_report. */
public interface ErrorReporter {
    /** @param code a sophon-stream ErrorCode name such as ERR_FFMPEG_INPUT_CTX_OPEN */
    void report(int channelId, String code);

    ErrorReporter NONE = (channelId, code) -> {};
}
