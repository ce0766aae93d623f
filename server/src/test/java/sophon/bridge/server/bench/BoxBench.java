package sophon.bridge.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.e2e.FakeStreamRoot;

/**
 * The box-scale benchmark ({@code bench/box-bench.sh}): the real server with N type-3 (yolov5)
 * tasks, each fed recorded 1080p http_push frames at F frames/s by a stand-in stream, and an alarm
 * receiver; after a warm-up it measures, per process kind, PSS and CPU per frame, frames in,
 * alarms out and their latency, frames refused. This JVM is the only load generator: each task's
 * {@code main} is a shell script that drops its working directory into a spool folder and sleeps
 * until SIGTERM, and one posting thread per task here reads that task's generated config set (as
 * sophon-stream would) and posts to its http_push target over one keep-alive connection.
 */
public final class BoxBench {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");
    private static final Pattern ALARM =
            Pattern.compile("\"TaskID\":\"([^\"]*)\",\"SrcID\":\"[^\"]*\",\"FrameIndex\":(\\d+)");
    private static final Pattern SCENE = Pattern.compile("\"mSpData\":\"([^\"]+)\"");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** The HotArea is the middle third of the frame; a person crosses the whole width once per period. */
    private static final int AREA_LEFT = 640;

    private static final int AREA_RIGHT = 1280;

    private final int tasks;
    private final int fps;
    private final int seconds;
    private final int warmup;
    private final int period;
    private final List<Object> frameParts;
    private final int frameBytes;

    private final Map<Path, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, long[]> sentAt = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong alarmsReceived = new AtomicLong();
    private final List<Long> endToEndNanos = new ArrayList<>();
    private final List<Long> answerNanos = new ArrayList<>();
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowTo = Long.MAX_VALUE;
    private volatile boolean stopping;

    private BoxBench(int tasks, int fps, int seconds, int warmup, int period, String recordedFrame) {
        this.tasks = tasks;
        this.fps = fps;
        this.seconds = seconds;
        this.warmup = warmup;
        this.period = period;
        Matcher scene = SCENE.matcher(recordedFrame);
        if (!scene.find()) {
            throw new IllegalArgumentException("no mSpData in the recorded frame");
        }
        // What a yolov5 graph's http_push posts: the 1080p scene, two persons (class 0) with tracks.
        // Person 1 walks across the frame (a new track each period); person 2 stands outside the HotArea.
        String template = "{\"mFrame\":{\"mChannelId\":__CH__,\"mFrameId\":__FID__,\"mTimestamp\":__TS__,"
                + "\"mWidth\":1920,\"mHeight\":1080,\"mEndOfStream\":false,\"mSpData\":\"" + scene.group(1) + "\"},"
                + "\"mDetectedObjectMetadatas\":["
                + "{\"mBox\":{\"mX\":__X__,\"mY\":380,\"mWidth\":120,\"mHeight\":300},\"mClassify\":0,\"mScores\":[0.87],\"mLabelName\":\"person\"},"
                + "{\"mBox\":{\"mX\":60,\"mY\":700,\"mWidth\":110,\"mHeight\":260},\"mClassify\":0,\"mScores\":[0.81],\"mLabelName\":\"person\"}],"
                + "\"mTrackedObjectMetadatas\":[{\"mTrackId\":__TID__},{\"mTrackId\":1}],"
                + "\"mFps\":25.0,\"mGraphId\":0,\"mSubId\":0}";
        List<Object> parts = new ArrayList<>();
        Matcher hole = Pattern.compile("__(CH|FID|TS|X|TID)__").matcher(template);
        int last = 0;
        int bytes = 0;
        while (hole.find()) {
            byte[] literal = template.substring(last, hole.start()).getBytes(StandardCharsets.UTF_8);
            parts.add(literal);
            parts.add(hole.group(1));
            bytes += literal.length;
            last = hole.end();
        }
        byte[] tail = template.substring(last).getBytes(StandardCharsets.UTF_8);
        parts.add(tail);
        this.frameParts = List.copyOf(parts);
        this.frameBytes = bytes + tail.length;
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int fps = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int period = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        if (tasks < 1 || tasks > 100 || fps < 1 || fps > 1000 || seconds < 1 || warmup < 0 || period < 20) {
            throw new IllegalArgumentException(
                    "usage: tasks 1..100, fps 1..1000, seconds >= 1, warmup >= 0, alarm period >= 20 frames");
        }
        Path home = AppHome.find();
        String frame = Files.readString(home.resolve("bench/business-logic/frame-1080p.json"));
        new BoxBench(tasks, fps, seconds, warmup, period, frame).run(home);
    }

    private void run(Path home) throws Exception {
        Path work = Files.createTempDirectory("box-bench");
        Path root = FakeStreamRoot.create(work.resolve("sophon-stream"), home, "frames=0\n");
        Path spool = Files.createDirectories(work.resolve("streams"));
        writeStandInMain(root, spool);
        Path log = work.resolve("server.log");
        String loadAtStart = ServerBench.loadAverage();
        HttpServer receiver = startReceiver();
        String reportUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alarms";
        BenchServer server = BenchServer.start(home, work.resolve("data"), root, BenchServer.freePort(), log);
        List<Long> children = new ArrayList<>();
        Thread poster = new Thread(() -> watchSpool(spool), "spool");
        poster.setDaemon(true);
        poster.start();
        Thread cleanupOnSignal = new Thread(() -> cleanUp(server, receiver, children), "cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnSignal);
        try {
            ApiClient api = server.api();
            System.out.printf(
                    Locale.ROOT,
                    "box bench: %d type-3 tasks x %d frames/s of a %d-byte 1080p frame, %d s warm-up, %d s measured;"
                            + " a person crosses the HotArea every %d frames per task%n",
                    tasks,
                    fps,
                    frameBytes,
                    warmup,
                    seconds,
                    period);
            System.out.printf(
                    Locale.ROOT,
                    "server pid %d, work dir %s, %d cores, load average at start: %s%n",
                    server.pid(),
                    work,
                    Runtime.getRuntime().availableProcessors(),
                    loadAtStart);
            awaitClassArchive(api);
            List<Entry> entries = createTasks(api, reportUrl, children);
            awaitChannels();
            System.out.printf(Locale.ROOT, "%d tasks running and posting; warming up %d s%n", tasks, warmup);
            Thread.sleep(warmup * 1000L);

            Snapshot before = snapshot(server, entries);
            windowFrom = System.nanoTime();
            long end = windowFrom + seconds * 1_000_000_000L;
            Map<Long, Long> pssPeak = new HashMap<>();
            while (System.nanoTime() < end) {
                samplePss(server.pid(), entries, pssPeak);
                long left = end - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(Math.min(5000, left / 1_000_000 + 1));
                }
            }
            windowTo = System.nanoTime();
            Snapshot after = snapshot(server, entries);
            samplePss(server.pid(), entries, pssPeak);
            // Alarms of the window's last frames are still on their way; the latency window covers them.
            Thread.sleep(2000);
            List<JsonNode> latency = new ArrayList<>();
            for (Entry e : entries) {
                latency.add(counters(e.port(), "?window=" + (seconds + 2)));
            }
            String restarted = restartedEntries(api, entries);
            System.out.print(report(entries, before, after, pssPeak, latency, server.pid(), loadAtStart, restarted));
        } finally {
            cleanUp(server, receiver, children);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        System.out.println("server log: " + log);
    }

    /** One algorithm entry under test as it was when it first ran (a start may have needed retries). */
    private record Entry(String taskId, long businessLogicPid, int port, long streamPid, int restartCount) {}

    /** Cumulative figures at one instant. */
    private record Snapshot(
            long nanos,
            double serverCpuMs,
            double selfCpuMs,
            double[] cpuMs,
            long[] frames,
            long[] produced,
            long[] delivered,
            long sent,
            long refused,
            long failed,
            long missed,
            long received) {}

    private void writeStandInMain(Path root, Path spool) throws IOException {
        // Hands its working directory and config path to the poster (this JVM) through a spool file
        // named by its pid, then sleeps until SIGTERM: no frames of its own, no JVM per stream.
        Path main = root.resolve("samples/build/main");
        Files.writeString(main, """
                #!/bin/sh
                spool='%s'
                demo=
                for a in "$@"; do case "$a" in --demo_config_path=*) demo="${a#--demo_config_path=}" ;; esac; done
                s=
                trap 'rm -f "$spool/$$"; [ -n "$s" ] && kill "$s" 2>/dev/null; exit 0' TERM INT
                printf '%%s\\n%%s\\n' "$PWD" "$demo" > "$spool/$$.tmp" && mv "$spool/$$.tmp" "$spool/$$"
                echo "box-bench stand-in stream: posting from the bench driver"
                while :; do sleep 3600 & s=$!; wait "$s"; done
                """.formatted(spool));
        main.toFile().setExecutable(true);
    }

    private static void awaitClassArchive(ApiClient api) throws Exception {
        long t0 = System.nanoTime();
        while (!api.get("/health").result().path("ClassArchive").asBoolean()) {
            if (System.nanoTime() - t0 > 180_000_000_000L) {
                throw new IllegalStateException("no business-logic class archive after 180 s");
            }
            Thread.sleep(200);
        }
    }

    private List<Entry> createTasks(ApiClient api, String reportUrl, List<Long> children) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            String id = "box" + i;
            ApiClient.Answer a = api.post("/task/create", taskJson(id, reportUrl));
            if (a.code() != 0) {
                throw new IllegalStateException("create " + id + " failed: " + a.msg());
            }
            ids.add(id);
        }
        List<Entry> entries = new ArrayList<>();
        long deadline = System.nanoTime() + 300_000_000_000L;
        for (String id : ids) {
            while (true) {
                JsonNode r = api.query(id).result();
                JsonNode entry = r.path("Algorithms").path(0);
                if (r.path("State").asText().equals("running")
                        && entry.hasNonNull("BusinessLogicPid")
                        && entry.hasNonNull("StreamPid")) {
                    Entry e = new Entry(
                            id,
                            entry.path("BusinessLogicPid").asLong(),
                            entry.path("BusinessLogicPort").asInt(),
                            entry.path("StreamPid").asLong(),
                            entry.path("RestartCount").asInt());
                    children.add(e.businessLogicPid());
                    children.add(e.streamPid());
                    entries.add(e);
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("task " + id + " not running after 300 s: " + r);
                }
                Thread.sleep(50);
            }
        }
        return entries;
    }

    private String taskJson(String id, String reportUrl) {
        ObjectNode t = ApiClient.JSON.createObjectNode();
        t.put("TaskID", id);
        t.putObject("InputSrc")
                .put("SrcID", "camera-" + id)
                .putObject("StreamSrc")
                .put("Address", "rtsp://10.0.0.1/" + id);
        ObjectNode alg = t.putArray("Algorithm").addObject();
        // A person alarms after 5 frames inside the HotArea, at most once per half period.
        alg.put("Type", 3)
                .put("TrackInterval", 5)
                .put("DetectInterval", 1)
                .put("AlarmInterval", period / 2)
                .put("threshold", 50);
        alg.putObject("TargetSize").put("MinDetect", 30).put("MaxDetect", 500);
        ArrayNode area = alg.putArray("DetectInfos").addObject().putArray("HotArea");
        area.addObject().put("X", AREA_LEFT).put("Y", 0);
        area.addObject().put("X", AREA_RIGHT).put("Y", 0);
        area.addObject().put("X", AREA_RIGHT).put("Y", 1080);
        area.addObject().put("X", AREA_LEFT).put("Y", 1080);
        t.putObject("Reporting").putArray("ReportUrlList").add(reportUrl);
        return t.toString();
    }

    private void awaitChannels() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (channels.size() < tasks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + channels.size() + " of " + tasks + " stand-in streams started");
            }
            Thread.sleep(50);
        }
    }

    // ---- the poster ----

    /** One posting thread per stand-in stream, for as long as its spool file exists. */
    private final class Channel implements Runnable {
        final Path spoolFile;
        final String taskId;
        final int channelId;
        final URI target;
        final long[] sentAtOfFrame;
        volatile boolean stop;

        Channel(Path spoolFile, String taskId, int channelId, URI target) {
            this.spoolFile = spoolFile;
            this.taskId = taskId;
            this.channelId = channelId;
            this.target = target;
            this.sentAtOfFrame = new long[fps * (warmup + seconds + 600)];
        }

        @Override
        public void run() {
            long interval = 1_000_000_000L / fps;
            // Stagger the tasks' schedules and their persons, as independent cameras would be.
            int index = taskId.matches("box\\d+") ? Integer.parseInt(taskId.substring(3)) % tasks : 0;
            long due = System.nanoTime() + interval * index / tasks;
            long phase = (long) period * index / tasks;
            Socket socket = null;
            OutputStream out = null;
            InputStream in = null;
            long fid = 0;
            while (!stop && !stopping) {
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                long behind = (now - due) / interval;
                if (behind > 0) {
                    // http_push drops what it cannot send in time; so do we, and count it.
                    missed.addAndGet(behind);
                    fid += behind;
                    due += behind * interval;
                }
                due += interval;
                try {
                    if (socket == null) {
                        socket = new Socket(target.getHost(), target.getPort());
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(10_000);
                        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                        in = new BufferedInputStream(socket.getInputStream(), 1 << 12);
                    }
                    long k = (fid + phase) % period;
                    long person = (fid + phase) / period;
                    int x = (int) (k * 1800 / period);
                    Map<String, String> values = Map.of(
                            "CH",
                            Integer.toString(channelId),
                            "FID",
                            Long.toString(fid),
                            "TS",
                            Long.toString(System.currentTimeMillis() * 1000),
                            "X",
                            Integer.toString(x),
                            "TID",
                            Long.toString(100 + person));
                    int length = frameBytes;
                    for (Object p : frameParts) {
                        if (p instanceof String hole) {
                            length += values.get(hole).length();
                        }
                    }
                    long t0 = System.nanoTime();
                    if (fid < sentAtOfFrame.length) {
                        sentAtOfFrame[(int) fid] = t0;
                    }
                    out.write(("POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":"
                                    + target.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: "
                                    + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    for (Object p : frameParts) {
                        out.write(
                                p instanceof byte[] b
                                        ? b
                                        : values.get((String) p).getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                    int status = readResponse(in);
                    long t1 = System.nanoTime();
                    if (t0 >= windowFrom && t0 < windowTo) {
                        synchronized (answerNanos) {
                            answerNanos.add(t1 - t0);
                        }
                    }
                    sent.incrementAndGet();
                    if (status < 200 || status > 299) {
                        refused.incrementAndGet();
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    close(socket);
                    socket = null;
                }
                fid++;
            }
            close(socket);
        }
    }

    private void watchSpool(Path spool) {
        while (!stopping) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(
                    spool, f -> !f.getFileName().toString().endsWith(".tmp"))) {
                List<Path> present = new ArrayList<>();
                for (Path f : files) {
                    present.add(f);
                    if (!channels.containsKey(f)) {
                        Channel c = openChannel(f);
                        channels.put(f, c);
                        sentAt.put(c.taskId, c.sentAtOfFrame);
                        Thread t = new Thread(c, "post-" + c.taskId);
                        t.setDaemon(true);
                        t.start();
                    }
                }
                channels.values().removeIf(c -> {
                    if (!present.contains(c.spoolFile)) {
                        c.stop = true;
                        return true;
                    }
                    return false;
                });
                Thread.sleep(100);
            } catch (IOException e) {
                System.err.println("spool: " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads a stand-in's config set as sophon-stream does: demo config, graph, the http_push element. */
    private Channel openChannel(Path spoolFile) throws IOException {
        List<String> lines = Files.readAllLines(spoolFile);
        Path cwd = Path.of(lines.get(0));
        JsonNode demo = ApiClient.JSON.readTree(cwd.resolve(lines.get(1)).toFile());
        JsonNode graphs = ApiClient.JSON.readTree(
                cwd.resolve(demo.path("engine_config_path").asText()).toFile());
        for (JsonNode element : graphs.get(0).get("elements")) {
            JsonNode config = ApiClient.JSON.readTree(
                    cwd.resolve(element.get("element_config").asText()).toFile());
            if ("http_push".equals(config.path("name").asText())) {
                JsonNode push = config.path("configure");
                URI target = URI.create("http://" + push.path("ip").asText() + ":"
                        + push.path("port").asInt() + push.path("path").asText());
                // <data>/tasks/<TaskID>/<n>-<algorithm>
                String taskId = cwd.getParent().getFileName().toString();
                return new Channel(
                        spoolFile,
                        taskId,
                        demo.path("channels").path(0).path("channel_id").asInt(),
                        target);
            }
        }
        throw new IOException("no http_push element in " + cwd.resolve(lines.get(1)));
    }

    static int readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        Matcher m = CONTENT_LENGTH.matcher(h);
        in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0);
        return Integer.parseInt(h.substring(9, 12));
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    // ---- the alarm receiver ----

    private HttpServer startReceiver() throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext("/alarms", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            Matcher m = ALARM.matcher(new String(body, StandardCharsets.UTF_8));
            while (m.find()) {
                alarmsReceived.incrementAndGet();
                long[] sentTimes = sentAt.get(m.group(1));
                int fid = Integer.parseInt(m.group(2));
                if (sentTimes != null
                        && fid < sentTimes.length
                        && sentTimes[fid] >= windowFrom
                        && sentTimes[fid] < windowTo) {
                    synchronized (endToEndNanos) {
                        endToEndNanos.add(now - sentTimes[fid]);
                    }
                }
            }
            byte[] ok = "{\"Code\":0,\"Msg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        // application-web on another host: its threads must not queue behind the posting threads.
        receiver.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "receiver");
            t.setPriority(Thread.MAX_PRIORITY);
            t.setDaemon(true);
            return t;
        }));
        receiver.start();
        return receiver;
    }

    // ---- measuring ----

    private Snapshot snapshot(BenchServer server, List<Entry> entries) throws Exception {
        int n = entries.size();
        double[] cpu = new double[n];
        long[] frames = new long[n];
        long[] produced = new long[n];
        long[] delivered = new long[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            cpu[i] = ServerBench.cpuMillis(e.businessLogicPid());
            JsonNode c = counters(e.port(), "");
            frames[i] = c.path("framesReceived").asLong();
            produced[i] = c.path("alarmsProduced").asLong();
            delivered[i] = c.path("alarmsDelivered").asLong();
        }
        return new Snapshot(
                System.nanoTime(),
                ServerBench.cpuMillis(server.pid()),
                ServerBench.cpuMillis(ProcessHandle.current().pid()),
                cpu,
                frames,
                produced,
                delivered,
                sent.get(),
                refused.get(),
                failed.get(),
                missed.get(),
                alarmsReceived.get());
    }

    private static JsonNode counters(int port, String query) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/counters" + query))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return ApiClient.JSON.readTree(r.body());
    }

    private static void samplePss(long serverPid, List<Entry> entries, Map<Long, Long> peak) throws IOException {
        peak.merge(serverPid, pssKb(serverPid), Math::max);
        for (Entry e : entries) {
            peak.merge(e.businessLogicPid(), pssKb(e.businessLogicPid()), Math::max);
        }
    }

    static long pssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no Pss line for pid " + pid);
    }

    private static String restartedEntries(ApiClient api, List<Entry> entries) throws Exception {
        List<String> restarted = new ArrayList<>();
        for (Entry e : entries) {
            JsonNode entry = api.query(e.taskId()).result().path("Algorithms").path(0);
            if (entry.path("RestartCount").asInt() != e.restartCount()
                    || entry.path("BusinessLogicPid").asLong() != e.businessLogicPid()
                    || entry.path("StreamPid").asLong() != e.streamPid()) {
                restarted.add(e.taskId());
            }
        }
        return restarted.isEmpty() ? "none" : String.join(", ", restarted);
    }

    private String report(
            List<Entry> entries,
            Snapshot a,
            Snapshot b,
            Map<Long, Long> pssPeak,
            List<JsonNode> latency,
            long serverPid,
            String loadAtStart,
            String restarted)
            throws IOException {
        double window = (b.nanos() - a.nanos()) / 1e9;
        int n = entries.size();
        double[] blPss = new double[n];
        double[] msPerFrame = new double[n];
        long framesIn = 0;
        long produced = 0;
        long delivered = 0;
        double blCpu = 0;
        for (int i = 0; i < n; i++) {
            blPss[i] = pssPeak.getOrDefault(entries.get(i).businessLogicPid(), 0L) / 1024.0;
            long frames = b.frames()[i] - a.frames()[i];
            double cpu = b.cpuMs()[i] - a.cpuMs()[i];
            msPerFrame[i] = frames == 0 ? Double.NaN : cpu / frames;
            framesIn += frames;
            blCpu += cpu;
            produced += b.produced()[i] - a.produced()[i];
            delivered += b.delivered()[i] - a.delivered()[i];
        }
        double[] p50s = latency.stream()
                .mapToDouble(c -> c.path("alarmLatencyWindowP50Ms").asDouble(-1))
                .filter(v -> v >= 0)
                .sorted()
                .toArray();
        double[] p99s = latency.stream()
                .mapToDouble(c -> c.path("alarmLatencyWindowP99Ms").asDouble(-1))
                .filter(v -> v >= 0)
                .toArray();
        long latencyCount = latency.stream()
                .mapToLong(c -> Math.max(0, c.path("alarmLatencyWindowCount").asLong()))
                .sum();
        long[] e2e;
        synchronized (endToEndNanos) {
            e2e = endToEndNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        long[] answers;
        synchronized (answerNanos) {
            answers = answerNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        double serverPss = pssPeak.getOrDefault(serverPid, 0L) / 1024.0;
        long refusedInWindow = b.refused() - a.refused();
        long failedInWindow = b.failed() - a.failed();
        long missedInWindow = b.missed() - a.missed();
        double targetRate = (double) tasks * fps;

        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "%nbox bench, %s UTC, %d tasks x %d fps, %.1f s measured after %d s warm-up, %d cores,"
                        + " load average at start %s, at end %s%n",
                java.time.Instant.now().toString().substring(0, 19),
                tasks,
                fps,
                window,
                warmup,
                Runtime.getRuntime().availableProcessors(),
                loadAtStart,
                ServerBench.loadAverage()));
        s.append(String.format(Locale.ROOT, "%-58s %-26s %s%n", "figure", "measured", "target"));
        row(s, "business-logic PSS, mean over processes (peak in window)", fmt("%.1f MB", mean(blPss)), "<= 40 MB");
        row(s, "business-logic PSS, max over processes", fmt("%.1f MB", max(blPss)), "<= 45 MB");
        row(s, "server PSS (peak in window)", fmt("%.1f MB", serverPss), "<= 100 MB");
        row(s, "business-logic CPU per frame received, mean", fmt("%.3f ms", mean(msPerFrame)), "<= 0.3 ms");
        row(s, "business-logic CPU per frame received, max", fmt("%.3f ms", max(msPerFrame)), "");
        row(s, "business-logic CPU, all processes", fmt("%.1f %% of a core", blCpu / window / 10), "");
        row(s, "server CPU", fmt("%.1f %% of a core", (b.serverCpuMs() - a.serverCpuMs()) / window / 10), "");
        row(
                s,
                "frames in (business logic framesReceived)",
                fmt("%d, %.1f /s", framesIn, framesIn / window),
                fmt("%.0f /s", targetRate));
        row(s, "frames refused (non-2xx) / failed (I/O)", refusedInWindow + " / " + failedInWindow, "0 / 0");
        row(s, "frames not sent in time (poster behind schedule)", Long.toString(missedInWindow), "0");
        row(
                s,
                "frame answer p50 / p99 (request written -> answer read)",
                answers.length == 0 ? "no frames" : fmt("%.1f / %.1f ms", pct(answers, 50), pct(answers, 99)),
                "");
        row(s, "alarms produced / delivered (business logic)", produced + " / " + delivered, "");
        row(s, "alarms received by the receiver", Long.toString(b.received() - a.received()), "= delivered");
        row(
                s,
                "alarm latency p50, median over processes",
                p50s.length == 0 ? "no alarms" : fmt("%.1f ms", p50s[p50s.length / 2]),
                "");
        row(
                s,
                "alarm latency p99, worst process",
                p99s.length == 0 ? "no alarms" : fmt("%.1f ms", max(p99s)),
                "<= 100 ms");
        row(s, "  (frame received -> alarm POST started, /counters?window)", latencyCount + " alarms", "");
        row(
                s,
                "alarm end to end p50 / p99, all tasks pooled",
                e2e.length == 0 ? "no alarms" : fmt("%.1f / %.1f ms", pct(e2e, 50), pct(e2e, 99)),
                "p99 <= 100 ms");
        row(s, "  (frame sent -> alarm POST received, bench side)", e2e.length + " alarms", "");
        row(
                s,
                "bench driver CPU (poster + receiver)",
                fmt("%.1f %% of a core", (b.selfCpuMs() - a.selfCpuMs()) / window / 10),
                "");
        row(s, "entries restarted during the run", restarted, "none");
        s.append(String.format(
                Locale.ROOT, "per process (PSS MB, CPU ms/frame): %s%n", perProcess(entries, blPss, msPerFrame)));
        return s.toString();
    }

    private static String perProcess(List<Entry> entries, double[] pss, double[] msPerFrame) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            s.append(String.format(
                    Locale.ROOT,
                    "%s%s %.1f/%.3f",
                    i == 0 ? "" : ", ",
                    entries.get(i).taskId(),
                    pss[i],
                    msPerFrame[i]));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String what, String measured, String target) {
        s.append(String.format(Locale.ROOT, "%-58s %-26s %s%n", what, measured, target));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    // ---- ending cleanly ----

    private final Object cleanupLock = new Object();
    private boolean cleanedUp;

    /** Deletes the tasks, stops the server and the poster, and says which of our processes are left. */
    private void cleanUp(BenchServer server, HttpServer receiver, List<Long> children) {
        synchronized (cleanupLock) {
            if (cleanedUp) {
                return;
            }
            cleanedUp = true;
        }
        try {
            ApiClient api = server.api();
            for (int i = 0; i < tasks; i++) {
                api.delete("box" + i);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (api.list().result().size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (Exception e) {
            System.err.println("deleting the tasks: " + e);
        }
        stopping = true;
        try {
            server.terminate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        receiver.stop(0);
        List<Long> left = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (long pid : children) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            while (p.isPresent() && p.get().isAlive() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000_000L);
            }
            if (p.isPresent() && p.get().isAlive()) {
                left.add(pid);
            }
        }
        System.out.println(
                left.isEmpty()
                        ? "clean end: tasks deleted, server stopped, no child process left"
                        : "processes left behind: " + left);
    }
}
