package sophon.bridge.cpustream.source;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BASE64 as sophon-stream's decoder serves it: images are POSTed to {@code path} on
 * {@code port} as {"data": "<base64 image>"}; each becomes a frame. The answer is
 * {"status": "success"|"error", "message": ...}. Loopback only; bodies capped at 16 MiB; when
 * the channel is behind, new images are refused with status "error" rather than queued without bound.
 */
public final class Base64HttpSource implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(Base64HttpSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private final int port;
    private final String path;
    private final BlockingQueue<byte[]> images = new ArrayBlockingQueue<>(8);
    private HttpServer server;
    private Mat current;
    private volatile boolean woken;

    public Base64HttpSource(int port, String path) {
        this.port = port;
        this.path = path.startsWith("/") ? path : "/" + path;
    }

    @Override
    public void open() throws SourceException {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new SourceException("BASE64 source cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "base64-" + port);
            t.setDaemon(true);
            return t;
        }));
        server.createContext(path, this::handle);
        server.start();
        LOG.info("BASE64 source listening on 127.0.0.1:{}{}", port, path);
    }

    private void handle(HttpExchange ex) throws IOException {
        String status = "success", message = "ok";
        try {
            byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("body larger than " + MAX_BODY + " bytes");
            }
            JsonNode data = JSON.readTree(body).get("data");
            if (data == null || !data.isTextual()) {
                throw new IllegalArgumentException("the body needs a \"data\" string");
            }
            byte[] img = Base64.getMimeDecoder().decode(data.asText());
            if (!images.offer(img)) {
                throw new IllegalStateException("the channel is busy; image dropped");
            }
        } catch (RuntimeException | IOException e) {
            status = "error";
            message = e.getMessage();
        }
        byte[] out = JSON.writeValueAsString(
                        JSON.createObjectNode().put("status", status).put("message", message))
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public Mat next() {
        release();
        while (!woken) {
            byte[] img;
            try {
                img = images.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (img == null) {
                continue;
            }
            try (BytePointer buf = new BytePointer(img);
                    Mat raw = new Mat(1, img.length, CV_8UC1, buf)) {
                Mat m = imdecode(raw, IMREAD_COLOR);
                if (m != null && !m.empty()) {
                    current = m;
                    return m;
                }
            }
            LOG.warn("BASE64 source {}: a posted image could not be decoded, skipped", path);
        }
        return null;
    }

    @Override
    public boolean skip() {
        Mat m = next();
        release();
        return m != null;
    }

    @Override
    public double nativeFps() {
        return 0;
    }

    @Override
    public void wakeUp() {
        woken = true;
    }

    @Override
    public void close() {
        release();
        if (server != null) {
            server.stop(0);
        }
        server = null;
    }

    private void release() {
        if (current != null) {
            current.release();
        }
        current = null;
    }
}
