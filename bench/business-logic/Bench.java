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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for the business-logic process, run by bench/business-logic-bench.sh:
 * N keep-alive connections (one http_push channel each) replay the recorded 1080p frame as fast
 * as the process answers (or, with --rate=F, at F frames/s in total, each answer timed from the
 * moment its frame was due so that a slow process cannot hide its backlog), with increasing frame ids; the two plate texts change every
 * --plate-every frames (staggered across channels) so each channel keeps producing alarms. Also the alarm receiver (answers
 * {"Code":0}) and the RSS sampler of the process. Single-file program: java Bench.java ...
 */
public class Bench {
    static final Pattern HOLE = Pattern.compile("__(CH|FID|PLATE1|PLATE2)__");
    static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        int port = Integer.parseInt(o.get("port"));
        int receiverPort = Integer.parseInt(o.get("receiver-port"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "16"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        int plateEvery = Integer.parseInt(o.getOrDefault("plate-every", "250"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0")); // 0: as fast as answered
        long pid = Long.parseLong(o.getOrDefault("pid", "0"));
        String template = Files.readString(Path.of(o.get("frame")));

        AtomicLong alarmsReceived = new AtomicLong();
        AtomicLong alarmRequests = new AtomicLong();
        // when each (channel, frame id) was sent, to time alarms end to end from this side too
        long[][] sentAt = new long[connections][1 << 20];
        long[] endToEnd = new long[1 << 16];
        AtomicLong endToEndCount = new AtomicLong();
        long[] measureWindow = new long[2];
        Pattern alarmOf = Pattern.compile("\"FrameIndex\":(\\d+)[^\\]]*?\"VehicleLicense\":\"\\D+(\\d+)D");
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", receiverPort), 64);
        receiver.createContext("/alarms", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            alarmRequests.incrementAndGet();
            String text = new String(body, StandardCharsets.UTF_8);
            alarmsReceived.addAndGet(count(text, "\"FrameIndex\""));
            Matcher am = alarmOf.matcher(text);
            while (am.find()) {
                int ch = Integer.parseInt(am.group(2));
                int fid = Integer.parseInt(am.group(1));
                if (ch < sentAt.length && fid < sentAt[ch].length && sentAt[ch][fid] >= measureWindow[0]
                        && sentAt[ch][fid] < measureWindow[1]) {
                    long i = endToEndCount.getAndIncrement();
                    if (i < endToEnd.length) {
                        endToEnd[(int) i] = now - sentAt[ch][fid];
                    }
                }
            }
            byte[] ok = "{\"Code\":0,\"Msg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        // The receiver stands for application-web on another host: its threads must not queue
        // behind this process's own 16 senders (run with -XX:ThreadPriorityPolicy=1; as root the
        // raise takes effect), or the alarm latency measured would be the bench's, not the process's.
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "receiver");
            t.setPriority(Thread.MAX_PRIORITY);
            t.setDaemon(true);
            return t;
        }));
        receiver.start();

        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        long idleRss = rssKb(pid);

        List<Object> parts = new ArrayList<>(); // byte[] literal or String hole name
        Matcher m = HOLE.matcher(template);
        int last = 0;
        while (m.find()) {
            parts.add(template.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            parts.add(m.group(1));
            last = m.end();
        }
        parts.add(template.substring(last).getBytes(StandardCharsets.UTF_8));

        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        measureWindow[0] = measureFrom;
        measureWindow[1] = end;
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            final int ch = c;
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                    InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 12);
                    long fid = 0;
                    // paced: channel ch sends frame k at start + (k + ch/N) * N/rate
                    long interval = rate > 0 ? (long) (connections * 1e9 / rate) : 0;
                    long due = start + interval * ch / connections;
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            break;
                        }
                        if (interval > 0) {
                            if (now < measureFrom && now - due > 100_000_000L) {
                                due = now; // a cold JVM's backlog is not carried into the measured window
                            }
                            if (due > now) {
                                java.util.concurrent.locks.LockSupport.parkNanos(due - now);
                            }
                        }
                        // channels change plates at staggered times, as independent cameras would
                        long k = (fid + (long) ch * plateEvery / connections) / plateEvery;
                        Map<String, byte[]> values = Map.of(
                                "CH", Integer.toString(ch).getBytes(StandardCharsets.UTF_8),
                                "FID", Long.toString(fid).getBytes(StandardCharsets.UTF_8),
                                "PLATE1", ("皖A" + ch + "D" + k + "1").getBytes(StandardCharsets.UTF_8),
                                "PLATE2", ("苏E" + ch + "F" + k + "2").getBytes(StandardCharsets.UTF_8));
                        int length = 0;
                        for (Object p : parts) {
                            length += p instanceof byte[] b ? b.length : values.get((String) p).length;
                        }
                        long t0 = interval > 0 ? due : System.nanoTime();
                        due += interval;
                        if (fid < sentAt[ch].length) {
                            sentAt[ch][(int) fid] = t0;
                        }
                        out.write(("POST /frames HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        for (Object p : parts) {
                            out.write(p instanceof byte[] b ? b : values.get((String) p));
                        }
                        out.flush();
                        int status = readResponse(in);
                        long t1 = System.nanoTime();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        if (t0 >= measureFrom) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = t1 - t0;
                        }
                        fid++;
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    System.err.println("connection " + ch + ": " + e);
                }
                latencies[ch] = lat;
                counts[ch] = n;
            }, "conn-" + c);
            threads.add(t);
            t.start();
        }
        long maxRss = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            if (System.nanoTime() > measureFrom) {
                maxRss = Math.max(maxRss, rssKb(pid));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        Thread.sleep(2000); // let the last alarms go out
        String counters = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/counters?window=" + (seconds + 2))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        receiver.stop(0);

        System.out.printf("connections            %d (keep-alive), frame %d bytes, %d s measured after %d s warm-up, %s%n",
                connections, template.length(), seconds, warmup,
                rate > 0 ? "paced at " + (long) rate + " frames/s (latency from when each frame was due)" : "as fast as answered");
        System.out.printf("frames/s               %.0f%n", total / (double) seconds);
        System.out.printf("answer latency ms      p50 %.2f  p99 %.2f  max %.2f%n", pct(all, 50), pct(all, 99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.printf("errors                 %d%n", errors.get());
        System.out.printf("alarm latency ms       p50 %s  p99 %s (frame received -> alarm POST started, from /counters, incl. warm-up)%n",
                field(counters, "alarmLatencyP50Ms"), field(counters, "alarmLatencyP99Ms"));
        System.out.printf("alarm latency ms       p50 %s  p99 %s over %s alarms of the measured window (frame received -> alarm POST started, from /counters?window=%d)%n",
                field(counters, "alarmLatencyWindowP50Ms"), field(counters, "alarmLatencyWindowP99Ms"),
                field(counters, "alarmLatencyWindowCount"), seconds + 2);
        System.out.printf("  of which built ms     p50 %s  p99 %s (measured window: frame received -> alarm stored in the outbox)%n",
                field(counters, "alarmBuildWindowP50Ms"), field(counters, "alarmBuildWindowP99Ms"));
        System.out.printf("  of which built ms     p50 %s  p99 %s (whole run: frame received -> alarm stored in the outbox)%n",
                field(counters, "alarmBuildP50Ms"), field(counters, "alarmBuildP99Ms"));
        long[] e2e = Arrays.copyOf(endToEnd, (int) Math.min(endToEnd.length, endToEndCount.get()));
        Arrays.sort(e2e);
        System.out.printf("alarm end to end ms    p50 %.1f  p99 %.1f over %d alarms of the measured window (frame sent -> alarm POST received, bench side)%n",
                pct(e2e, 50), pct(e2e, 99), e2e.length);
        System.out.printf("alarms                 produced %s, delivered %s, dropped %s, received %d in %d requests%n",
                field(counters, "alarmsProduced"), field(counters, "alarmsDelivered"), field(counters, "alarmsDropped"),
                alarmsReceived.get(), alarmRequests.get());
        System.out.printf("RSS MB                 idle %.0f, max under load %.0f%n", idleRss / 1024.0, maxRss / 1024.0);
        System.out.println("counters               " + counters);
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
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(h.substring(9, 12));
        Matcher m = CONTENT_LENGTH.matcher(h);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        in.readNBytes(length);
        return status;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    static long rssKb(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([^,}]*)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
