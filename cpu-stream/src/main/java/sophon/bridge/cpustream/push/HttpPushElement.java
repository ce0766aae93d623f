package sophon.bridge.cpustream.push;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.cpustream.element.Element;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.cpustream.http.BufferBody;
import sophon.bridge.cpustream.http.PostClients;
import sophon.bridge.frame.ObjectMetadataWriter;

/**
 * http_push for one channel: frames go into a bounded queue and a sender thread encodes the
 * JPEG, writes the ObjectMetadata JSON and posts it. When the receiver is slow the queue fills
 * and new frames are dropped and counted, so decode never waits on the network. Posts go one
 * after the other over one kept connection (OkHttp, called on the sender thread); a failed post
 * (an error answer such as business logic's 503, a timeout, nobody listening) is counted and
 * logged, never retried: the next frame is newer.
 */
public final class HttpPushElement implements Element {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPushElement.class);
    private static final Frame POISON = Frame.endOfStream(-1, -1, -1);
    private final int channelId;
    private final HttpUrl uri;
    private final BlockingQueue<Frame> queue;
    private final JpegEncoder jpeg;
    private final ErrorReporter reporter;
    private final OkHttpClient client;
    private final Thread sender;
    /** The post under way, so close() can cut it short once the drain time is over. */
    private volatile Call inFlight;

    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long lastDropReport;

    public HttpPushElement(int channelId, HttpUrl uri, int queueSize, int jpegQuality, ErrorReporter reporter) {
        this.channelId = channelId;
        this.uri = uri;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.jpeg = new JpegEncoder(jpegQuality);
        this.reporter = reporter;
        this.client = PostClients.oneConnection(uri.isHttps(), Duration.ofSeconds(3), Duration.ofSeconds(10));
        this.sender = new Thread(this::sendLoop, "http_push-ch" + channelId);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void process(Frame frame, Consumer<Frame> out) {
        if (!frame.endOfStream() && frame.mat() != null) {
            frame.retain();
            if (!queue.offer(frame)) {
                frame.release();
                long n = dropped.incrementAndGet();
                long now = System.nanoTime();
                if (n == 1 || now - lastDropReport > TimeUnit.SECONDS.toNanos(10)) {
                    lastDropReport = now;
                    LOG.warn(
                            "http_push channel {}: receiver {} too slow, {} frame(s) dropped so far",
                            channelId,
                            uri,
                            n);
                    reporter.report(channelId, "DATA_PIPE_FULL");
                }
            }
        }
        out.accept(frame);
    }

    private void sendLoop() {
        while (true) {
            Frame f;
            try {
                f = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (f == POISON) {
                break;
            }
            try {
                // Written once, straight into the buffer the socket is fed from.
                Buffer body = new Buffer();
                ObjectMetadataWriter.write(PushPayload.of(f, jpeg.base64(f.mat())), body.outputStream());
                f.release();
                f = null;
                post(body);
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    break; // close() gave up waiting and cut the post short
                }
                fail(e.toString());
            } finally {
                if (f != null) {
                    f.release();
                }
            }
        }
        for (Frame left; (left = queue.poll()) != null; ) {
            if (left != POISON) {
                left.release();
            }
        }
    }

    private void post(Buffer body) throws IOException {
        Request req = new Request.Builder().url(uri).post(BufferBody.json(body)).build();
        Call call = client.newCall(req);
        inFlight = call;
        try (Response resp = call.execute()) {
            if (resp.isSuccessful()) {
                posted.incrementAndGet();
            } else {
                fail("HTTP " + resp.code());
            }
        } finally {
            inFlight = null;
        }
    }

    private void fail(String why) {
        long n = failed.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            LOG.warn("http_push channel {}: post to {} failed ({} so far): {}", channelId, uri, n, why);
        }
    }

    /** Lets queued frames leave (up to a few seconds), then stops the sender. */
    @Override
    public void close() {
        try {
            queue.put(POISON);
            sender.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            // A post is hanging (receiver stuck): the interrupt ends the loop, cancelling closes
            // the post's socket now instead of at its 10 s timeout.
            sender.interrupt();
            Call call = inFlight;
            if (call != null) {
                call.cancel();
            }
            try {
                sender.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        PostClients.shutDown(client);
        LOG.info(
                "http_push channel {}: {} frame(s) posted, {} dropped, {} failed",
                channelId,
                posted.get(),
                dropped.get(),
                failed.get());
    }
}
