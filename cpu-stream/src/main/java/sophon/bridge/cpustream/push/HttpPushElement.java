package sophon.bridge.cpustream.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.cpustream.element.Element;
import sophon.bridge.cpustream.frame.Frame;
import sophon.bridge.frame.ObjectMetadataWriter;

/**
 * http_push for one channel: frames go into a bounded queue and a sender thread encodes the
 * JPEG, writes the ObjectMetadata JSON and posts it. When the receiver is slow the queue fills
 * and new frames are dropped and counted, so decode never waits on the network.
 */
public final class HttpPushElement implements Element {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPushElement.class);
    private static final Frame POISON = Frame.endOfStream(-1, -1, -1);
    private final int channelId;
    private final URI uri;
    private final BlockingQueue<Frame> queue;
    private final JpegEncoder jpeg;
    private final ErrorReporter reporter;
    private final HttpClient client;
    private final Thread sender;
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long lastDropReport;

    public HttpPushElement(int channelId, URI uri, int queueSize, int jpegQuality, ErrorReporter reporter) {
        this.channelId = channelId;
        this.uri = uri;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.jpeg = new JpegEncoder(jpegQuality);
        this.reporter = reporter;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
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
                byte[] body = ObjectMetadataWriter.write(PushPayload.of(f, jpeg.base64(f.mat())));
                f.release();
                f = null;
                HttpRequest req = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() / 100 != 2) {
                    fail("HTTP " + resp.statusCode());
                } else {
                    posted.incrementAndGet();
                }
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
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
        sender.interrupt();
        LOG.info(
                "http_push channel {}: {} frame(s) posted, {} dropped, {} failed",
                channelId,
                posted.get(),
                dropped.get(),
                failed.get());
    }
}
