package sophon.bridge.streamconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sophon.bridge.streamconfig.Fixtures.CPU_ROOT;
import static sophon.bridge.streamconfig.Fixtures.GRAPHS;
import static sophon.bridge.streamconfig.Fixtures.LISTEN;
import static sophon.bridge.streamconfig.Fixtures.LOGIC;
import static sophon.bridge.streamconfig.Fixtures.VTEST;
import static sophon.bridge.streamconfig.Fixtures.cpuRoot;
import static sophon.bridge.streamconfig.Fixtures.defaultAlgorithm;
import static sophon.bridge.streamconfig.Fixtures.request;
import static sophon.bridge.streamconfig.Fixtures.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.algorithm.AlgorithmType;
import sophon.bridge.streamconfig.Fixtures.Generated;

class ConfigSetBuilderTest {
    private static final AlgorithmRegistry REGISTRY = AlgorithmRegistry.load();
    private final ConfigSetBuilder builder = new ConfigSetBuilder(GRAPHS, REGISTRY);

    @TempDir
    Path tmp;

    static Stream<AlgorithmType> shippedTypes() {
        return REGISTRY.types().stream();
    }

    private Generated build(int type, String address) throws ConfigException {
        return Generated.read(
                builder.build(request(task(address, defaultAlgorithm(type)), tmp.resolve("1001/0-x"), cpuRoot())));
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("shippedTypes")
    void everyShippedTypeGeneratesAGraphEndingInHttpPush(AlgorithmType type) throws Exception {
        Path dir = tmp.resolve("tasks/1001/0-" + type.name());
        BuiltConfig built =
                builder.build(request(task(VTEST.toString(), defaultAlgorithm(type.type())), dir, cpuRoot()));
        assertEquals(dir, built.algorithmDir());
        assertEquals("config/" + type.name() + "_demo.json", built.demoConfigArgument());
        Generated g = Generated.read(built);

        JsonNode sink = g.assertValidGraphWithHttpPushSink();
        JsonNode push = g.only("http_push");
        assertEquals("127.0.0.1", push.path("configure").path("ip").asText());
        assertEquals(LOGIC.port(), push.path("configure").path("port").asInt());
        assertEquals("/frames", push.path("configure").path("path").asText());
        assertEquals(1, push.path("thread_number").asInt(), "one thread per channel");
        assertEquals(
                CPU_ROOT + "/build/lib/libhttp_push.so",
                push.path("shared_object").asText());

        // the template's sink lost its sink port and now feeds http_push
        JsonNode template = Fixtures.read(GRAPHS.resolve(type.name()).resolve("config/engine_group.json"))
                .get(0);
        int oldSink = -1;
        for (JsonNode e : template.get("elements")) {
            if (e.path("ports").path("output").path(0).path("is_sink").asBoolean()) {
                oldSink = e.get("element_id").asInt();
            }
        }
        int pushId = sink.get("element_id").asInt();
        assertNotEquals(oldSink, pushId);
        for (JsonNode e : g.graph().get("elements")) {
            if (e.get("element_id").asInt() == oldSink) {
                assertTrue(e.path("ports").path("output").isMissingNode(), "old sink keeps no output port: " + e);
            }
        }
        boolean fed = false;
        for (JsonNode c : g.graph().get("connections")) {
            fed |= c.get("src_element_id").asInt() == oldSink
                    && c.get("dst_element_id").asInt() == pushId
                    && c.get("dst_port").asInt() == 0;
        }
        assertTrue(fed, "connection from the old sink to http_push");
        assertEquals(
                template.get("elements").size() + 1, g.graph().get("elements").size());

        JsonNode channel = g.channel();
        assertEquals(VTEST.toString(), channel.get("url").asText());
        assertEquals("VIDEO", channel.get("source_type").asText());
        assertEquals(3, channel.get("sample_interval").asInt());
        assertEquals(0, channel.get("loop_num").asInt(), "a file keeps playing in a long-running task");
        assertEquals(
                "config/engine_group.json", g.demo().get("engine_config_path").asText());
        assertEquals("127.0.0.1", g.demo().path("http_report").path("ip").asText());
        assertEquals(LOGIC.port(), g.demo().path("http_report").path("port").asInt());
        assertEquals("/errors", g.demo().path("http_report").path("path").asText());
        assertEquals(LISTEN.port(), g.demo().path("http_listen").path("port").asInt());
        assertEquals("/stream", g.demo().path("http_listen").path("path").asText());

        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertFalse(text.contains("{Stream_path}"), "root substituted in " + f);
                assertFalse(text.contains("{Source_url}"), "url substituted in " + f);
            }
        }
        for (JsonNode detector : g.elementsNamed(type.name().startsWith("tripwire") ? "yolox_group" : "yolov5_group")) {
            assertEquals(0.5, detector.path("configure").path("threshold_conf").asDouble());
        }
    }

    @Test
    void everyTypeOfTheMapHasAPluginAndATemplate() {
        // containsAll, not equals: scripts/add_algorithm.sh adds types and the tests must still pass.
        assertTrue(REGISTRY.types().stream().map(AlgorithmType::type).toList().containsAll(List.of(1, 2, 3, 4, 5, 16)));
        for (AlgorithmType t : REGISTRY.types()) {
            assertTrue(REGISTRY.plugin(t.type()).isPresent(), "plugin for " + t.type());
            assertTrue(
                    Files.isRegularFile(GRAPHS.resolve(t.name() + "/config/" + t.name() + "_demo.json")),
                    "template for " + t.name());
        }
    }

    @Test
    void templatesAreNotModifiedByBuilds() throws Exception {
        Map<String, String> before = hashes(GRAPHS);
        for (AlgorithmType t : REGISTRY.types()) {
            builder.build(request(
                    task(VTEST.toString(), defaultAlgorithm(t.type())), tmp.resolve("t/" + t.name()), cpuRoot()));
        }
        assertEquals(before, hashes(GRAPHS));
    }

    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("/target/"))
                    .toList()) {
                out.put(
                        dir.relativize(f).toString(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    @Test
    void thresholdAsPercentOrFractionBecomesAFraction() throws Exception {
        for (String threshold : List.of("50", "0.5", "30", "0.3")) {
            String algorithm = defaultAlgorithm(3).replace("\"threshold\": 50", "\"threshold\": " + threshold);
            Generated g = Generated.read(builder.build(
                    request(task(VTEST.toString(), algorithm), tmp.resolve("th" + threshold), cpuRoot())));
            double expected =
                    threshold.startsWith("0") ? Double.parseDouble(threshold) : Double.parseDouble(threshold) / 100;
            assertEquals(
                    expected,
                    g.only("yolov5_group")
                            .path("configure")
                            .path("threshold_conf")
                            .asDouble(),
                    1e-9,
                    threshold);
        }
    }

    @Test
    void addressFormsGiveTheirSourceType() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("{cam}/images"));
        Map<String, List<String>> cases = Map.of(
                "rtsp://admin:pw@10.0.0.5:554/stream1",
                List.of("rtsp://admin:pw@10.0.0.5:554/stream1", "RTSP"),
                "RTMP://10.0.0.5/live/1",
                List.of("rtmp://10.0.0.5/live/1", "RTMP"),
                "gb28181://34020000001320000001@10.0.0.9:5060",
                List.of("gb28181://34020000001320000001@10.0.0.9:5060", "GB28181"),
                "gb28181_playback://34020000001320000001",
                List.of("gb28181_playback://34020000001320000001", "GB28181"),
                "http://10.0.0.5/live.m3u8",
                List.of("http://10.0.0.5/live.m3u8", "VIDEO"),
                VTEST.toString(),
                List.of(VTEST.toString(), "VIDEO"),
                "file://" + VTEST,
                List.of(VTEST.toString(), "VIDEO"),
                images.toString(),
                List.of(images.toString(), "IMG_DIR"),
                "base64://:12400/frames",
                List.of("/frames", "BASE64"));
        int n = 0;
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            Generated g = Generated.read(
                    builder.build(request(task(c.getKey(), defaultAlgorithm(1)), tmp.resolve("a" + n++), cpuRoot())));
            assertEquals(c.getValue().get(0), g.channel().get("url").asText(), c.getKey());
            assertEquals(c.getValue().get(1), g.channel().get("source_type").asText(), c.getKey());
            assertEquals(
                    c.getValue().get(1).equals("BASE64") ? 12400 : 0,
                    g.channel().path("base64_port").asInt(0),
                    c.getKey());
        }
    }

    @Test
    void badAddressesFailWithAPlainSentenceAndNoCredentials() {
        Map<String, String> cases = Map.of(
                "ftp://admin:s3cret@10.0.0.5/x.mp4", "not supported",
                "rtsps://admin:s3cret@10.0.0.5/x", "not supported",
                "videos/x.mp4", "not supported",
                "/no/such/video.mp4", "/no/such/video.mp4 does not exist",
                "file://admin:s3cret@nowhere/x.mp4", "not a valid file path|must be absolute|does not exist",
                "base64://:99999/x", "invalid port");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> builder.build(request(task(c.getKey(), defaultAlgorithm(3)), tmp.resolve("bad"), cpuRoot())),
                    c.getKey());
            assertTrue(e.getMessage().matches("(?s).*(" + c.getValue() + ").*"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertTrue(e.getMessage().endsWith("."), "one sentence: " + e.getMessage());
            assertFalse(Files.exists(tmp.resolve("bad/config")), "nothing written");
        }
        ConfigException none = assertThrows(
                ConfigException.class,
                () -> builder.build(request(task(null, defaultAlgorithm(3)), tmp.resolve("bad"), cpuRoot())));
        assertEquals("The task has no source Address.", none.getMessage());
    }

    @Test
    void tripwireLineAndDirectionGoToTheFilter() throws Exception {
        String algorithm = """
                {"Type": 1, "TrackInterval": 15, "DetectInterval": 2, "AlarmInterval": 100, "threshold": 0.4,
                 "DetectInfos": [{"TripWire": {"LineStart":{"X":384,"Y":0},"LineEnd":{"X":384.4,"Y":576},
                                               "DirectStart":{"X":300,"Y":300},"DirectEnd":{"X":450,"Y":300}},
                                  "HotArea": [{"X":0,"Y":0},{"X":1920,"Y":0},{"X":1920,"Y":1080},{"X":0,"Y":1080}]}]}
                """;
        Generated g =
                Generated.read(builder.build(request(task(VTEST.toString(), algorithm), tmp.resolve("tw"), cpuRoot())));
        JsonNode f = g.filterRule();
        assertEquals(
                0,
                g.only("filter")
                        .path("configure")
                        .path("rules")
                        .get(0)
                        .path("channel_id")
                        .asInt());
        assertEquals(Fixtures.JSON.readTree("[[{\"left\":384,\"top\":0},{\"left\":384,\"top\":576}]]"), f.get("areas"));
        assertEquals(Fixtures.JSON.readTree("[150,0]"), f.get("direction"));
        assertEquals(1, f.get("type").asInt());
        assertEquals(Fixtures.JSON.readTree("[0]"), f.get("classes"));
        // Tripwire counts in the business logic: the filter forwards every crossing candidate.
        assertEquals(0, f.get("alert_first_frame").asInt());
        assertEquals(1, f.get("alert_frame_skip_nums").asInt());
        assertEquals("23 59 59", f.path("times").path(0).path("time_end").asText());
        assertEquals(2, g.channel().get("sample_interval").asInt());
        assertEquals(
                0.4,
                g.only("yolox_group").path("configure").path("threshold_conf").asDouble(),
                1e-9);
    }

    @Test
    void allZeroTripwireAndFullFrameAreaMeanNoRestriction() throws Exception {
        Generated g = build(1, VTEST.toString());
        JsonNode f = g.filterRule();
        assertEquals(Fixtures.JSON.readTree("[[]]"), f.get("areas"));
        assertTrue(f.path("direction").isMissingNode());
        assertEquals(0, f.get("alert_first_frame").asInt());
        assertEquals(1, f.get("alert_frame_skip_nums").asInt());
    }

    @Test
    void hotAreaPolygonAndTaskClassesGoToTheYoloFilter() throws Exception {
        String algorithm = """
                {"Type": 4, "TrackInterval": 5, "DetectInterval": 1, "AlarmInterval": 0, "threshold": 60,
                 "DetectInfos": [{"HotArea": [{"X":10,"Y":20},{"X":400,"Y":20},{"X":400,"Y":300},{"X":-2,"Y":300}]},
                                 {"HotArea": [{"X":500,"Y":20},{"X":700,"Y":20},{"X":600,"Y":200}]}],
                 "Extend": {"Classes": [0, 2, 2, 7]}}
                """;
        Generated g =
                Generated.read(builder.build(request(task(VTEST.toString(), algorithm), tmp.resolve("y8"), cpuRoot())));
        JsonNode f = g.filterRule();
        assertEquals(Fixtures.JSON.readTree("""
                [[{"left":10,"top":20},{"left":400,"top":20},{"left":400,"top":300},{"left":0,"top":300}],
                 [{"left":500,"top":20},{"left":700,"top":20},{"left":600,"top":200}]]"""), f.get("areas"));
        assertEquals(Fixtures.JSON.readTree("[0,2,7]"), f.get("classes"));
        assertEquals(2, f.get("type").asInt());
        assertEquals(1, f.get("alert_frame_skip_nums").asInt(), "AlarmInterval 0 still gives the filter a valid step");
        assertEquals(
                0.6,
                g.only("yolov8_group").path("configure").path("threshold_conf").asDouble(),
                1e-9);
        assertTrue(f.path("direction").isMissingNode());
    }

    @Test
    void badTaskValuesFailClearly() {
        Map<String, String> cases = Map.of(
                "{\"Type\": 3, \"Extend\": {\"Classes\": [\"unicorn\"]}}", "does not know",
                "{\"Type\": 3, \"Extend\": {\"Classes\": [1.5]}}", "Extend.Classes",
                "{\"Type\": 3, \"Extend\": {\"Classes\": []}}", "Extend.Classes",
                // tripwire's filter does not take the task's classes, but its business logic does
                "{\"Type\": 1, \"Extend\": {\"Classes\": \"person\"}}", "Extend.Classes",
                "{\"Type\": 1, \"DetectInfos\": [{\"HotArea\": [{\"X\":5,\"Y\":5},{\"X\":9,\"Y\":9}]}]}",
                        "at least 3 points",
                "{\"Type\": 1, \"DetectInfos\": [{\"TripWire\": {\"LineStart\":{\"X\":5,\"Y\":5},\"LineEnd\":{\"X\":5,\"Y\":5}}}]}",
                        "two different points",
                "{\"Type\": 3, \"Extend\": {\"LoopNum\": -2}}", "LoopNum",
                "{\"Type\": 99}", "Algorithm type 99 is not known",
                "{\"TrackInterval\": 3}", "has no Type");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> builder.build(request(task(VTEST.toString(), c.getKey()), tmp.resolve("bad"), cpuRoot())),
                    c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("bad/config")));
        }
    }

    @Test
    void cadenceCanBeLeftToTheBusinessLogic() throws Exception {
        String algorithm = defaultAlgorithm(1).replace("\"TrackInterval\": 20", "\"TrackInterval\": 12");
        FillProfile inFilter = FillProfile.lineCrossing(List.of(0));
        JsonNode gated = Generated.read(builder.build(
                        request(task(VTEST.toString(), algorithm), tmp.resolve("g1"), cpuRoot()), "tripwire", inFilter))
                .filterRule();
        assertEquals(12, gated.get("alert_first_frame").asInt());
        assertEquals(300, gated.get("alert_frame_skip_nums").asInt());
        JsonNode open = Generated.read(builder.build(
                        request(task(VTEST.toString(), algorithm), tmp.resolve("g2"), cpuRoot()),
                        "tripwire",
                        inFilter.withCadenceInBusinessLogic()))
                .filterRule();
        assertEquals(0, open.get("alert_first_frame").asInt());
        assertEquals(1, open.get("alert_frame_skip_nums").asInt());
        assertEquals(1, open.get("type").asInt());
        assertTrue(inFilter.withTaskClasses().withCadenceInBusinessLogic().classesFromTask());
    }

    @Test
    void noClassesMeansEveryClassOfTheClassNamesFile() throws Exception {
        Generated g = Generated.read(builder.build(
                request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("all"), cpuRoot()),
                "yolov5",
                FillProfile.classInArea(List.of())));
        JsonNode classes = g.filterRule().get("classes");
        assertEquals(80, classes.size(), "coco.names has 80 classes");
        assertEquals(79, classes.get(79).asInt());
        // tripwire's set names no class-names file: "all classes" cannot be worked out there
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> builder.build(
                        request(task(VTEST.toString(), defaultAlgorithm(1)), tmp.resolve("all2"), cpuRoot()),
                        "tripwire",
                        FillProfile.lineCrossing(List.of())));
        assertTrue(e.getMessage().contains("no readable class-names file"), e.getMessage());
        assertTrue(e.getMessage().endsWith("."), e.getMessage());
    }

    @Test
    void taskClassesMayBeNamed() throws Exception {
        String algorithm = "{\"Type\": 3, \"Extend\": {\"Classes\": [\"car\", 0, \"truck\", \"person\"]}}";
        Generated g = Generated.read(
                builder.build(request(task(VTEST.toString(), algorithm), tmp.resolve("named"), cpuRoot())));
        assertEquals(Fixtures.JSON.readTree("[2,0,7]"), g.filterRule().get("classes"));
    }

    @Test
    void loopNumFromExtendMakesAFileTaskFinite() throws Exception {
        String algorithm = "{\"Type\": 3, \"Extend\": {\"LoopNum\": 1}}";
        Generated g = Generated.read(
                builder.build(request(task(VTEST.toString(), algorithm), tmp.resolve("loop"), cpuRoot())));
        assertEquals(1, g.channel().get("loop_num").asInt());
    }

    @Test
    void licencePlatesInAnAreaFilterOnRecognisedPlates() throws Exception {
        Generated g = build(2, VTEST.toString());
        JsonNode f = g.filterRule();
        assertEquals(0, f.get("type").asInt());
        assertEquals(Fixtures.JSON.readTree("[0]"), f.get("classes"));
        assertEquals(1, g.elementsNamed("lprnet_group").size());
        // the plate detector is thresholded, the recogniser has no threshold to set
        assertEquals(
                0.5,
                g.only("yolov5_group").path("configure").path("threshold_conf").asDouble());
    }

    @Test
    void missingStreamListenDropsHttpListen() throws Exception {
        ConfigRequest r = new ConfigRequest(
                task(VTEST.toString(), defaultAlgorithm(3)), 0, tmp.resolve("nl"), cpuRoot(), LOGIC, null);
        Generated g = Generated.read(builder.build(r));
        assertTrue(g.demo().path("http_listen").isMissingNode());
    }

    @Test
    void secondAlgorithmEntryIsBuiltFromItsOwnValues() throws Exception {
        ConfigRequest r = new ConfigRequest(
                task(
                        VTEST.toString(),
                        defaultAlgorithm(1),
                        defaultAlgorithm(4).replace("\"DetectInterval\": 3", "\"DetectInterval\": 7")),
                1,
                tmp.resolve("1-yolov8"),
                cpuRoot(),
                LOGIC,
                LISTEN);
        BuiltConfig built = builder.build(r);
        assertEquals("config/yolov8_demo.json", built.demoConfigArgument());
        assertEquals(7, Generated.read(built).channel().get("sample_interval").asInt());
        assertThrows(
                ConfigException.class,
                () -> builder.build(new ConfigRequest(r.task(), 2, tmp.resolve("x"), cpuRoot(), LOGIC, LISTEN)));
    }

    @Test
    void rebuildReplacesTheOldSetAndAFailedBuildKeepsIt() throws Exception {
        Path dir = tmp.resolve("re");
        builder.build(request(task(VTEST.toString(), defaultAlgorithm(3)), dir, cpuRoot()));
        Files.writeString(dir.resolve("config/stale.json"), "{}");
        Generated g =
                Generated.read(builder.build(request(task("rtsp://10.0.0.1/s", defaultAlgorithm(3)), dir, cpuRoot())));
        assertEquals("RTSP", g.channel().get("source_type").asText());
        assertFalse(Files.exists(dir.resolve("config/stale.json")), "old set replaced");
        assertThrows(
                ConfigException.class,
                () -> builder.build(request(task("/no/such.mp4", defaultAlgorithm(3)), dir, cpuRoot())));
        assertEquals(
                "RTSP",
                Generated.read(new BuiltConfig(dir, "config/yolov5_demo.json"))
                        .channel()
                        .get("source_type")
                        .asText());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config")), left.toList(), "no temporary folder left");
        }
    }

    @Test
    void retinafaceIsBuiltByName() throws Exception {
        String algorithm = defaultAlgorithm(0).replace("\"threshold\": 50", "\"threshold\": 70");
        BuiltConfig built = builder.build(
                request(task(VTEST.toString(), algorithm), tmp.resolve("face"), cpuRoot()),
                "retinaface",
                FillProfile.classInArea(List.of(0)));
        assertEquals("config/retinaface_demo.json", built.demoConfigArgument());
        Generated g = Generated.read(built);
        g.assertValidGraphWithHttpPushSink();
        assertEquals(
                0.7,
                g.only("retinaface_group")
                        .path("configure")
                        .path("score_threshold")
                        .asDouble(),
                1e-9);
        assertThrows(
                ConfigException.class,
                () -> builder.build(
                        request(task(VTEST.toString(), algorithm), tmp.resolve("nf"), cpuRoot()),
                        "no_such_graph",
                        FillProfile.classInArea(List.of(0))));
        assertThrows(
                ConfigException.class,
                () -> builder.build(
                        request(task(VTEST.toString(), algorithm), tmp.resolve("nf"), cpuRoot()),
                        "../stream-graphs/yolov5",
                        FillProfile.classInArea(List.of(0))));
    }

    @Test
    void nativeRootNeedsLibrariesAndModelsAndNamesTheMissingOne() throws Exception {
        Path root = tmp.resolve("sophon-stream");
        List<String> needed = List.of(
                "build/lib/libdecode.so",
                "build/lib/libyolov5.so",
                "build/lib/libbytetrack.so",
                "build/lib/libfilter.so",
                "build/lib/libhttp_push.so",
                "samples/yolov5/data/models/BM1684X_tpukernel/yolov5s_tpukernel_int8_1b.bmodel",
                "samples/yolov5/data/coco.names");
        for (String f : needed) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), "x");
        }
        StreamRoot nativeRoot = new StreamRoot(root, true);
        BuiltConfig built =
                builder.build(request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("n1"), nativeRoot));
        Generated g = Generated.read(built);
        assertEquals(
                root + "/build/lib/libyolov5.so",
                g.only("yolov5_group").path("shared_object").asText());
        assertEquals(
                root + "/samples/yolov5/data/coco.names",
                g.demo().path("class_names").asText());

        for (String f : needed) {
            Path file = root.resolve(f);
            Files.delete(file);
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> builder.build(
                            request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("n2"), nativeRoot)));
            assertTrue(e.getMessage().contains(f + " under the stream root " + root), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("n2/config")));
            Files.writeString(file, "x");
        }
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("shippedTypes")
    void aRootHoldingTheListedFilesIsEnough(AlgorithmType type) throws Exception {
        Path root = tmp.resolve("root-" + type.name());
        List<String> files = builder.streamRootFiles(type.name());
        assertTrue(
                files.contains("build/lib/libdecode.so") && files.contains("build/lib/libhttp_push.so"),
                files.toString());
        assertTrue(files.stream().anyMatch(f -> f.endsWith(".bmodel")), files.toString());
        for (String f : files) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), "x");
        }
        builder.build(request(
                task(VTEST.toString(), defaultAlgorithm(type.type())),
                tmp.resolve("r-" + type.name()),
                new StreamRoot(root, true)));
        Files.delete(root.resolve(files.get(0)));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> builder.build(request(
                        task(VTEST.toString(), defaultAlgorithm(type.type())),
                        tmp.resolve("r2-" + type.name()),
                        new StreamRoot(root, true))));
        assertTrue(e.getMessage().contains(files.get(0)), e.getMessage());
    }

    @Test
    void cpuRootSkipsNativeFilesButNeedsTheRest() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("cpu-root"));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> builder.build(request(
                        task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("c"), new StreamRoot(root, false))));
        assertEquals(
                "The yolov5 config set needs the file samples/yolov5/data/coco.names under the stream root " + root
                        + ", which does not exist.",
                e.getMessage());
        // tripwire references no data file: nothing but its own configs is needed on the CPU
        builder.build(
                request(task(VTEST.toString(), defaultAlgorithm(1)), tmp.resolve("c2"), new StreamRoot(root, false)));
    }

    @Test
    void templateWithItsOwnHttpPushIsConfiguredNotInjectedAndThreadsFollowChannels() throws Exception {
        Path graphs = copyTemplate("yolov5");
        Path config = graphs.resolve("yolov5/config");
        JsonNode engine = Fixtures.read(config.resolve("engine_group.json"));
        ObjectNode last = (ObjectNode) engine.get(0).get("elements").get(3);
        assertEquals(5004, last.get("element_id").asInt());
        last.remove("ports");
        ((ArrayNode) engine.get(0).get("elements"))
                .addObject()
                .put("element_id", 5006)
                .put("element_config", "config/http_push.json")
                .putObject("ports")
                .putArray("output")
                .addObject()
                .put("port_id", 0)
                .put("is_sink", true)
                .put("is_src", false);
        ((ArrayNode) engine.get(0).get("connections"))
                .addObject()
                .put("src_element_id", 5004)
                .put("src_port", 0)
                .put("dst_element_id", 5006)
                .put("dst_port", 0);
        Fixtures.JSON.writeValue(config.resolve("engine_group.json").toFile(), engine);
        Files.writeString(config.resolve("http_push.json"), """
                {"configure": {"ip": "0.0.0.0", "port": 10001, "path": "/flask_test/"},
                 "shared_object": "{Stream_path}/build/lib/libhttp_push.so", "name": "http_push", "side": "sophgo", "thread_number": 1}""");
        ObjectNode demo = (ObjectNode) Fixtures.read(config.resolve("yolov5_demo.json"));
        ObjectNode second = demo.withArray("channels").addObject();
        second.put("channel_id", 1)
                .put("url", "{Source_url}")
                .put("source_type", "VIDEO")
                .put("fps", 25);
        Fixtures.JSON.writeValue(config.resolve("yolov5_demo.json").toFile(), demo);

        Generated g = Generated.read(new ConfigSetBuilder(graphs, REGISTRY)
                .build(request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("own"), cpuRoot())));
        JsonNode sink = g.assertValidGraphWithHttpPushSink();
        assertEquals(5006, sink.get("element_id").asInt());
        assertEquals(5, g.graph().get("elements").size(), "nothing injected");
        JsonNode push = g.only("http_push");
        assertEquals(LOGIC.port(), push.path("configure").path("port").asInt());
        assertEquals("127.0.0.1", push.path("configure").path("ip").asText());
        assertEquals(2, push.path("thread_number").asInt(), "one http_push thread per channel");
        assertEquals(2, g.only("filter").path("configure").path("rules").size(), "one filter rule per channel");
        assertEquals(
                VTEST.toString(), g.demo().get("channels").get(1).get("url").asText());
    }

    @Test
    void templateWithTwoSinksIsRefused() throws Exception {
        Path graphs = copyTemplate("yolov5");
        Path engineFile = graphs.resolve("yolov5/config/engine_group.json");
        JsonNode engine = Fixtures.read(engineFile);
        ((ObjectNode) engine.get(0).get("elements").get(2))
                .putObject("ports")
                .putArray("output")
                .addObject()
                .put("port_id", 0)
                .put("is_sink", true)
                .put("is_src", false);
        Fixtures.JSON.writeValue(engineFile.toFile(), engine);
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new ConfigSetBuilder(graphs, REGISTRY)
                        .build(request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("two"), cpuRoot())));
        assertTrue(e.getMessage().contains("sink"), e.getMessage());
    }

    @Test
    void aPlaceholderLeftUnfilledIsRefused() throws Exception {
        Path graphs = copyTemplate("yolov5");
        Path bytetrack = graphs.resolve("yolov5/config/bytetrack.json");
        ObjectNode config = (ObjectNode) Fixtures.read(bytetrack);
        ((ObjectNode) config.get("configure")).put("source", TemplateReader.SOURCE_URL);
        Fixtures.JSON.writeValue(bytetrack.toFile(), config);
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new ConfigSetBuilder(graphs, REGISTRY)
                        .build(request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("ph"), cpuRoot())));
        assertEquals(
                "The yolov5 config set leaves the placeholder {Source_url} unfilled in config/bytetrack.json.",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("ph/config")));
    }

    @Test
    void brokenTemplateJsonIsNamed() throws Exception {
        Path graphs = copyTemplate("yolov5");
        Files.writeString(graphs.resolve("yolov5/config/bytetrack.json"), "{\"configure\": ");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new ConfigSetBuilder(graphs, REGISTRY)
                        .build(request(task(VTEST.toString(), defaultAlgorithm(3)), tmp.resolve("broken"), cpuRoot())));
        assertEquals("The template file stream-graphs/yolov5/config/bytetrack.json is not valid JSON.", e.getMessage());
    }

    private Path copyTemplate(String name) throws IOException {
        Path graphs = tmp.resolve("graphs-" + System.nanoTime());
        Path to = Files.createDirectories(graphs.resolve(name).resolve("config"));
        try (Stream<Path> files = Files.list(GRAPHS.resolve(name).resolve("config"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return graphs;
    }
}
