package sophon.bridge.cpustream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes a sophon-stream config set into a working folder and runs cpu-stream on it as a real
 * child process (java -cp <test classpath> Main), with the folder as working directory.
 */
final class CpuStreamRun {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path TESTDATA = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .resolve("../shared/testdata")
            .normalize();

    final Path dir;
    private final List<String[]> elements = new ArrayList<>(); // {id, file}
    private Process process;
    private Path log;

    private String demoArgument = "config/demo.json";

    /** A config set written by someone else (e.g. the server's builder) in dir. */
    static CpuStreamRun existing(Path dir, String demoArgument) {
        CpuStreamRun run = new CpuStreamRun(dir, false);
        run.demoArgument = demoArgument;
        return run;
    }

    private CpuStreamRun(Path dir, boolean ignored) {
        this.dir = dir;
    }

    CpuStreamRun(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("config"));
        element(1000, "decode", JSON.createObjectNode());
    }

    /** Adds an element (chained after the previous one) with the given name and configure. */
    CpuStreamRun element(int id, String name, ObjectNode configure) throws IOException {
        ObjectNode cfg = JSON.createObjectNode();
        cfg.set("configure", configure);
        cfg.put("shared_object", "{Stream_path}/build/lib/lib" + name + ".so");
        cfg.put("name", name);
        cfg.put("side", "sophgo");
        cfg.put("thread_number", 1);
        String file = "config/" + name + "_" + id + ".json";
        Files.write(dir.resolve(file), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(cfg));
        elements.add(new String[] {Integer.toString(id), file});
        return this;
    }

    CpuStreamRun push(Receiver r) throws IOException {
        return element(
                9000,
                "http_push",
                JSON.createObjectNode()
                        .put("ip", "127.0.0.1")
                        .put("port", r.port())
                        .put("path", "/push"));
    }

    /** Writes engine_group.json (a chain) and demo.json with the given channels. */
    Path writeDemo(List<Map<String, Object>> channels, Receiver report, Integer listenPort) throws IOException {
        ArrayNode graphs = JSON.createArrayNode();
        ObjectNode g = graphs.addObject().put("graph_id", 0).put("device_id", 0).put("graph_name", "test");
        ArrayNode els = g.putArray("elements");
        ArrayNode conns = g.putArray("connections");
        for (int i = 0; i < elements.size(); i++) {
            ObjectNode e = els.addObject()
                    .put("element_id", Integer.parseInt(elements.get(i)[0]))
                    .put("element_config", elements.get(i)[1]);
            if (i == 0) {
                e.putObject("ports")
                        .putArray("input")
                        .addObject()
                        .put("port_id", 0)
                        .put("is_sink", false)
                        .put("is_src", true);
            }
            if (i == elements.size() - 1 && i > 0) {
                e.putObject("ports")
                        .putArray("output")
                        .addObject()
                        .put("port_id", 0)
                        .put("is_sink", true)
                        .put("is_src", false);
            }
            if (i > 0) {
                conns.addObject()
                        .put("src_element_id", Integer.parseInt(elements.get(i - 1)[0]))
                        .put("src_port", 0)
                        .put("dst_element_id", Integer.parseInt(elements.get(i)[0]))
                        .put("dst_port", 0);
            }
        }
        Files.write(
                dir.resolve("config/engine_group.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(graphs));
        ObjectNode demo = JSON.createObjectNode();
        demo.set("channels", JSON.valueToTree(channels));
        demo.put("engine_config_path", "config/engine_group.json");
        if (report != null) {
            demo.putObject("http_report")
                    .put("ip", "127.0.0.1")
                    .put("port", report.port())
                    .put("path", "/report");
        }
        if (listenPort != null) {
            demo.putObject("http_listen")
                    .put("ip", "127.0.0.1")
                    .put("port", listenPort)
                    .put("path", "/");
        }
        Path demoPath = dir.resolve("config/demo.json");
        Files.write(demoPath, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(demo));
        return demoPath;
    }

    static Map<String, Object> video(int channelId, String file, int sampleInterval, int loopNum, double fps) {
        return Map.of(
                "channel_id",
                channelId,
                "url",
                TESTDATA.resolve(file).toString(),
                "source_type",
                "VIDEO",
                "sample_interval",
                sampleInterval,
                "loop_num",
                loopNum,
                "fps",
                fps);
    }

    Process start(String... jvmProps) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of(jvmProps));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("--demo_config_path=" + demoArgument);
        log = dir.resolve("cpu-stream.log");
        process = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return process;
    }

    /** The flags the server starts cpu-stream with (cpu-stream/jvm.options), so the tests run under them too. */
    static List<String> jvmOptions() throws IOException {
        Path file = Path.of(System.getProperty("sophon.bridge.home", "..")).resolve("cpu-stream/jvm.options");
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String flag = line.replaceAll("#.*", "").trim();
            if (!flag.isEmpty()) {
                flags.add(flag);
            }
        }
        return flags;
    }

    /** Waits for the exit and returns its code; fails the test instead of hanging. */
    int await(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cpu-stream did not exit within " + seconds + " s; log:\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
