package sophon.bridge.cpustream.source;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import sophon.bridge.cpustream.config.SourceType;
import sophon.bridge.cpustream.task.Masking;

/**
 * Files, RTSP (over TCP), RTMP, HTTP/HLS and V4L2 cameras through FFmpeg's own read/decode
 * loop (av_read_frame, avcodec_send_packet, avcodec_receive_frame) with one packet and one
 * frame reused for the whole pass; only frames the graph uses are converted to BGR. Against
 * JavaCV's grabber this loads fewer libraries on the channel's first open and has almost no
 * Java work per frame left for the JIT to warm up (bench/cpu-stream-bench.sh --decode-only).
 * Network reads carry a socket timeout so a silent camera cannot block the channel thread.
 * Like the grabber, a packet or frame the decoder rejects is dropped (the decoder conceals
 * it) and a failed read ends the pass after the decoder's buffered frames.
 */
public final class FfmpegSource implements FrameSource {
    static {
        av_log_set_level(AV_LOG_ERROR);
        avformat_network_init();
    }

    /** While draining, each error gives up one buffered frame; this bounds a decoder that never reaches EOF. */
    private static final int MAX_DRAIN_ERRORS = 64;

    private static final String IO_TIMEOUT_MICROS = Long.toString(1000 * Long.getLong("cpustream.io.timeout.ms", 5000));
    private final String url;
    private final SourceType type;
    private final int decodeThreads;
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private int streamIndex;
    private double fps;
    private boolean flushed;
    private boolean ended;
    // BGR conversion, made on the first frame the graph uses.
    private SwsContext sws;
    private Mat bgr;
    private final PointerPointer<BytePointer> bgrData = new PointerPointer<>(4);
    private final IntPointer bgrStride = new IntPointer(4);

    public FfmpegSource(String url, SourceType type, int decodeThreads) {
        this.url = url;
        this.type = type;
        this.decodeThreads = decodeThreads;
    }

    @Override
    public void open() throws SourceException {
        try {
            openInput();
        } catch (SourceException e) {
            close();
            throw e;
        }
    }

    private void openInput() throws SourceException {
        AVDictionary options = new AVDictionary(null);
        AVInputFormat inputFormat = null;
        switch (type) {
            case RTSP -> {
                av_dict_set(options, "rtsp_transport", "tcp", 0);
                av_dict_set(options, "timeout", IO_TIMEOUT_MICROS, 0);
            }
            case RTMP, HTTP, GB28181 -> av_dict_set(options, "rw_timeout", IO_TIMEOUT_MICROS, 0);
            case CAMERA -> {
                if (url.startsWith("/dev/")) {
                    avdevice.avdevice_register_all();
                    inputFormat = av_find_input_format("video4linux2");
                }
            }
            default -> {}
        }
        AVFormatContext f = new AVFormatContext(null);
        int r = avformat_open_input(f, url, inputFormat, options);
        av_dict_free(options);
        if (r < 0) {
            throw new SourceException(
                    "cannot open " + type + " source " + Masking.mask(url) + ": " + error("avformat_open_input", r));
        }
        format = f;
        r = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (r < 0) {
            throw new SourceException("cannot open " + type + " source " + Masking.mask(url) + ": "
                    + error("avformat_find_stream_info", r));
        }
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw noVideo();
        }
        AVStream stream = format.streams(streamIndex);
        AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
        if (decoder == null || decoder.isNull()) {
            throw new SourceException(type + " source " + Masking.mask(url) + " has no decoder for its video codec "
                    + stream.codecpar().codec_id());
        }
        codec = avcodec_alloc_context3(decoder);
        r = avcodec_parameters_to_context(codec, stream.codecpar());
        if (r < 0) {
            throw new SourceException("cannot open " + type + " source " + Masking.mask(url) + ": "
                    + error("avcodec_parameters_to_context", r));
        }
        codec.pkt_timebase(stream.time_base());
        AVDictionary codecOptions = new AVDictionary(null);
        if (decodeThreads > 0) {
            av_dict_set(codecOptions, "threads", Integer.toString(decodeThreads), 0);
        }
        r = avcodec_open2(codec, decoder, codecOptions);
        av_dict_free(codecOptions);
        if (r < 0) {
            throw new SourceException(
                    "cannot open " + type + " source " + Masking.mask(url) + ": " + error("avcodec_open2", r));
        }
        if (codec.width() <= 0 || codec.height() <= 0) {
            throw noVideo();
        }
        fps = rate(stream.avg_frame_rate());
        if (fps <= 0) {
            fps = rate(stream.r_frame_rate());
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    @Override
    public Mat next() throws SourceException {
        if (!decode()) {
            return null;
        }
        int w = frame.width();
        int h = frame.height();
        if (bgr == null || bgr.cols() != w || bgr.rows() != h) {
            if (bgr != null) {
                bgr.release();
            }
            bgr = new Mat(h, w, CV_8UC3);
            bgrData.put(0, bgr.data());
            bgrStride.put(0, (int) bgr.step());
        }
        sws = sws_getCachedContext(
                sws, w, h, frame.format(), w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new SourceException("reading " + type + " source " + Masking.mask(url)
                    + " failed: no conversion from pixel format " + frame.format() + " to BGR");
        }
        sws_scale(sws, frame.data(), frame.linesize(), 0, h, bgrData, bgrStride);
        return bgr;
    }

    @Override
    public boolean skip() {
        return decode();
    }

    /** Decodes the next video frame into {@code frame}; false at the end of the input. */
    private boolean decode() {
        int errors = 0;
        while (!ended) {
            int r = avcodec_receive_frame(codec, frame);
            if (r >= 0) {
                return true;
            }
            if (r == AVERROR_EOF || (flushed && (r == AVERROR_EAGAIN() || ++errors > MAX_DRAIN_ERRORS))) {
                ended = true;
                return false;
            }
            // A decode error costs that frame only, as with JavaCV's grabber: go on with the input.
            if (flushed) {
                continue;
            }
            r = av_read_frame(format, packet);
            if (r < 0) {
                // End of file or a lost connection: let the decoder give back the frames it holds.
                flushed = true;
                avcodec_send_packet(codec, null);
                continue;
            }
            if (packet.stream_index() == streamIndex) {
                avcodec_send_packet(codec, packet);
            }
            av_packet_unref(packet);
        }
        return false;
    }

    @Override
    public double nativeFps() {
        return fps;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
        }
        sws = null;
        if (bgr != null) {
            bgr.release();
        }
        bgr = null;
        if (frame != null) {
            av_frame_free(frame);
        }
        frame = null;
        if (packet != null) {
            av_packet_free(packet);
        }
        packet = null;
        if (codec != null) {
            avcodec_free_context(codec);
        }
        codec = null;
        if (format != null) {
            avformat_close_input(format);
        }
        format = null;
        bgrData.close();
        bgrStride.close();
    }

    private SourceException noVideo() {
        return new SourceException(type + " source " + Masking.mask(url) + " has no video stream");
    }

    private static double rate(AVRational r) {
        return r.num() > 0 && r.den() > 0 ? (double) r.num() / r.den() : 0;
    }

    private static String error(String call, int code) {
        BytePointer text = new BytePointer(256);
        try {
            if (av_strerror(code, text, text.capacity()) != 0) {
                return call + "() error " + code;
            }
            String message = text.getString(); // the whole buffer: cut at the C string's end
            int end = message.indexOf('\0');
            return call + "() error " + code + ": " + (end < 0 ? message : message.substring(0, end));
        } finally {
            text.close();
        }
    }
}
