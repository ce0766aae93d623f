package sophon.bridge.cpustream.source;

import java.nio.file.Path;
import sophon.bridge.cpustream.config.ChannelSpec;

/** Picks the source implementation for a channel's source_type. */
public final class Sources {
    private Sources() {}

    public static FrameSource forChannel(ChannelSpec c, Path workDir, int decodeThreads) throws SourceException {
        return switch (c.sourceType()) {
            case VIDEO -> {
                // sophon-stream hands VIDEO urls to FFmpeg, so http(s):// files and HLS work too.
                if (c.url().matches("^(https?|rtsp|rtmp)://.*")) {
                    yield new FfmpegSource(c.url(), c.sourceType(), decodeThreads);
                }
                Path p = workDir.resolve(
                        c.url().startsWith("file://") ? c.url().substring("file://".length()) : c.url());
                if (!p.toFile().isFile()) {
                    throw new SourceException("video file " + p + " does not exist");
                }
                yield new FfmpegSource(p.toString(), c.sourceType(), decodeThreads);
            }
            case IMG_DIR -> new ImageDirSource(workDir.resolve(c.url()));
            case BASE64 ->
                c.base64Port() > 0 ? new Base64HttpSource(c.base64Port(), c.url()) : new Base64Source(c.url());
            case RTSP, RTMP, HTTP, CAMERA -> new FfmpegSource(c.url(), c.sourceType(), decodeThreads);
            case GB28181 ->
                throw new SourceException(
                        "GB28181 needs Sophgo's SIP stack; cpu-stream cannot open " + "gb28181 sources");
        };
    }
}
