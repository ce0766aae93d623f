package sophon.bridge.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.e2e.FakeStreamRoot;

/**
 * The server benchmark ({@code bench/server-bench.sh}): create→running latency over 20 tasks,
 * {@code /task/list} and {@code /metrics} latency with 64 tasks, recovery time after kill -9 with 16 running tasks,
 * and RSS of the server and of one idle business-logic process. The server and every
 * business-logic process are real; the stream is an idle shell loop behind a fake sophon-stream
 * root, so the numbers are the server's, not a pipeline's.
 */
public final class ServerBench {
    private static final String REPORT = "http://127.0.0.1:9/api/upload";

    private ServerBench() {}

    public static void main(String[] args) throws Exception {
        Path home = AppHome.find();
        Path work = Files.createTempDirectory("server-bench");
        Path root = FakeStreamRoot.createIdle(work.resolve("sophon-stream"), home);
        Path data = work.resolve("data");
        Path log = work.resolve("server.log");
        int port = BenchServer.freePort();
        BenchServer server = BenchServer.start(home, data, root, port, log);
        ApiClient api = server.api();
        System.out.printf(
                Locale.ROOT,
                "server pid %d on port %d, work dir %s; load average at start: %s%n",
                server.pid(),
                port,
                work,
                loadAverage());

        long archiveWait = System.nanoTime();
        while (!api.get("/health").result().path("ClassArchive").asBoolean()) {
            if (System.nanoTime() - archiveWait > 120_000_000_000L) {
                throw new IllegalStateException("no business-logic class archive after 120 s");
            }
            Thread.sleep(100);
        }
        System.out.printf(
                Locale.ROOT,
                "business-logic class archive ready after %.1f s%n",
                (System.nanoTime() - archiveWait) / 1e9);

        // 1. create -> running, one task at a time, business logic ready included.
        List<Double> createMs = new ArrayList<>();
        List<Double> businessLogicCpuMs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "bench-" + i;
            long t0 = System.nanoTime();
            ApiClient.Answer a = api.post("/task/create", ApiClient.task(id, "rtsp://10.0.0.1/" + i, 3, REPORT));
            if (a.code() != 0) {
                throw new IllegalStateException("create failed: " + a.msg());
            }
            while (!api.query(id).result().path("State").asText().equals("running")) {
                Thread.sleep(5);
            }
            createMs.add((System.nanoTime() - t0) / 1e6);
            businessLogicCpuMs.add(cpuMillis(api.query(id)
                    .result()
                    .path("Algorithms")
                    .get(0)
                    .path("BusinessLogicPid")
                    .asLong()));
        }
        report("create->running (20 tasks, ms)", createMs);
        report("CPU time of a business-logic process until ready (ms; load-independent)", businessLogicCpuMs);

        // 2. /task/list with 64 tasks.
        for (int i = 20; i < 64; i++) {
            api.post("/task/create", ApiClient.task("bench-" + i, "rtsp://10.0.0.1/" + i, 3, REPORT));
        }
        awaitRunning(api, 64);
        for (int i = 0; i < 100; i++) {
            api.list(); // warm-up
        }
        List<Double> listMs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long t0 = System.nanoTime();
            ApiClient.Answer a = api.list();
            listMs.add((System.nanoTime() - t0) / 1e6);
            if (a.result().size() != 64) {
                throw new IllegalStateException("list holds " + a.result().size());
            }
        }
        report("/task/list with 64 tasks (1000 calls, ms)", listMs);
        List<Double> metricsMs = new ArrayList<>();
        int metricsBytes = 0;
        for (int i = 0; i < 300; i++) {
            long t0 = System.nanoTime();
            metricsBytes = api.getText("/metrics").body().length();
            if (i >= 50) { // the first 50 warm up
                metricsMs.add((System.nanoTime() - t0) / 1e6);
            }
        }
        report("GET /metrics with 64 tasks (" + metricsBytes / 1024 + " KB, 250 calls, ms)", metricsMs);

        // 3. RSS.
        long serverRss = rssKb(server.pid());
        List<Double> blRss = new ArrayList<>();
        for (JsonNode item : api.list().result()) {
            blRss.add((double) rssKb(
                    item.path("Algorithms").get(0).path("BusinessLogicPid").asLong()));
        }
        System.out.printf(Locale.ROOT, "RSS server with 64 tasks: %.1f MB%n", serverRss / 1024.0);
        report(
                "RSS idle business-logic process (64 processes, MB)",
                blRss.stream().map(kb -> kb / 1024.0).toList());

        // 4. recovery after kill -9 with 16 running tasks.
        for (int i = 16; i < 64; i++) {
            api.delete("bench-" + i);
        }
        awaitRunning(api, 16);
        server.kill9();
        long t0 = System.nanoTime();
        server = BenchServer.start(home, data, root, port, log);
        api = server.api();
        awaitRunning(api, 16);
        double recoveryMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf(
                Locale.ROOT, "recovery after kill -9, 16 tasks: %.0f ms (server start to all running)%n", recoveryMs);

        for (int i = 0; i < 16; i++) {
            api.delete("bench-" + i);
        }
        server.terminate();
        System.out.println("load average at end: " + loadAverage());
        System.out.println("server log: " + log);
    }

    private static void awaitRunning(ApiClient api, int count) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode list = api.list().result();
            long running = 0;
            for (JsonNode item : list) {
                if (item.path("State").asText().equals("running")) {
                    running++;
                }
            }
            if (list.size() == count && running == count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("tasks not running after 300 s");
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /** utime + stime of a process so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void report(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%s: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
                what,
                pct(sorted, 50),
                pct(sorted, 95),
                pct(sorted, 99),
                sorted.get(sorted.size() - 1));
    }

    private static double pct(List<Double> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }
}
