package sophon.bridge.server.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.server.ApiClient;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.process.ProcInfo;

/**
 * The release bundle as an operator gets it: {@code scripts/package.sh} assembles this machine's
 * architecture from the jars this build made (no second build), the archive is unpacked into a
 * fresh folder and run with no Maven on PATH and a systemd-like environment; its install.sh /
 * uninstall.sh run against temporary folders and the unit they write passes
 * {@code systemd-analyze verify}. Runs in {@code mvn verify} (failsafe), after the jars exist.
 */
class BundleIT {
    static final Path HOME = AppHome.find();

    @TempDir
    static Path tmp;

    static Path bundle;
    static String arch;

    @BeforeAll
    static void buildAndUnpack() throws Exception {
        arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new IllegalStateException("no bundle for " + System.getProperty("os.arch"));
        };
        Path dist = tmp.resolve("dist");
        run(HOME, 120, HOME.resolve("scripts/package.sh").toString(), "--no-build", "--arch=" + arch, "--out=" + dist);
        Path archive;
        try (Stream<Path> files = Files.list(dist)) {
            archive = files.filter(f -> f.getFileName().toString().endsWith("-linux-" + arch + ".tar.gz"))
                    .findFirst()
                    .orElseThrow();
        }
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        run(unpacked, 60, "tar", "xzf", archive.toString());
        bundle = unpacked.resolve(archive.getFileName().toString().replace(".tar.gz", ""));
    }

    @Test
    void holdsOnlyThisArchitecturesNativesAndTheServiceFiles() throws IOException {
        String foreign = arch.equals("x86_64") ? "-linux-arm64.jar" : "-linux-x86_64.jar";
        String own = arch.equals("x86_64") ? "-linux-x86_64.jar" : "-linux-arm64.jar";
        try (Stream<Path> all = Files.walk(bundle)) {
            List<String> names = all.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.endsWith(foreign)), "no " + foreign);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("opencv-") && n.endsWith(own)));
        }
        for (String f : List.of("bin/sophon-bridge", "install.sh", "uninstall.sh")) {
            assertTrue(Files.isExecutable(bundle.resolve(f)), f);
        }
        for (String f : List.of(
                "README.md",
                "sophon-bridge.service",
                "sophon-bridge.env",
                "server/jvm.options",
                "business-logic/jvm.options",
                "cpu-stream/jvm.options",
                "server/server.jar",
                "business-logic/business-logic.jar",
                "cpu-stream/cpu-stream.jar",
                "stream-graphs/tripwire/config")) {
            assertTrue(Files.exists(bundle.resolve(f)), f);
        }
        assertFalse(Files.exists(bundle.resolve("stream-graphs/src")));
        assertEquals(arch, Files.readString(bundle.resolve("ARCH")).strip());
    }

    @Test
    void runsATaskOnCpuStreamWithoutMavenAndStopsCleanlyOnSigterm() throws Exception {
        WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/api/upload")).willReturn(okJson("{\"Code\":0,\"Msg\":\"ok\"}")));
        Path data = tmp.resolve("data");
        Path out = tmp.resolve("server.out");
        int port = ServerProcess.freePort();
        // As systemd starts it: no locale, the journal on stdout, and a PATH without Maven.
        ProcessBuilder pb = new ProcessBuilder(
                        bundle.resolve("bin/sophon-bridge").toString(),
                        "--port=" + port,
                        "--data-dir=" + data,
                        "--max-tasks=4")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", pathWithoutMaven().toString(), "JOURNAL_STREAM", "8:4242"));
        Process server = pb.start();
        try {
            ApiClient api = new ApiClient(port);
            Children.await("/task/list answers", Duration.ofSeconds(30), () -> {
                assertTrue(server.isAlive(), () -> "the bundle's server exited; see " + out);
                try {
                    return api.list().code() == 0;
                } catch (Exception notYet) {
                    return false;
                }
            });
            ApiClient.Answer created =
                    api.post("/task/create", CpuStreamEndToEndTest.tripwireOnVtest("bundle-1", receiver.port()));
            assertEquals(0, created.code(), created.msg());
            Children.await(
                    "an alarm at the receiver",
                    Duration.ofSeconds(60),
                    () -> !receiver.findAll(postRequestedFor(urlEqualTo("/api/upload")))
                            .isEmpty());
            assertEquals("running", api.query("bundle-1").result().path("State").asText());
            // bin/sophon-bridge execs the server: the service's main pid is the JVM, no relaunch under it.
            String homeArg = "-Dsophon.bridge.home=" + bundle;
            assertTrue(ProcInfo.of(server.pid()).orElseThrow().args().contains(homeArg));
            assertTrue(
                    server.toHandle()
                            .children()
                            .noneMatch(c -> ProcInfo.of(c.pid())
                                    .map(i -> i.args().contains(homeArg))
                                    .orElse(false)),
                    "no UTF-8 relaunch: bin/sophon-bridge set the locale");
            Path tasks = data.resolve("tasks").toAbsolutePath();
            assertEquals(2, Children.under(tasks).size(), "stream and business logic");

            server.destroy(); // SIGTERM, as systemctl stop sends it
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped within TimeoutStopSec");
            assertTrue(Children.under(tasks).isEmpty(), "no child left");
            assertTrue(
                    ProcInfo.all().stream()
                            .noneMatch(p -> p.args().stream().anyMatch(a -> a.contains(bundle.toString()))),
                    "no process of the bundle left");
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(log.contains("task API and status page on http://127.0.0.1:" + port + "/"), log);
            assertTrue(log.contains("server stopped"), log);
            assertFalse(
                    log.contains("|-WARN") || log.contains("|-ERROR"), "logback configures without complaint: " + log);
            // Under the journal the server keeps no log file of its own.
            assertFalse(Files.exists(data.resolve("logs/server.log")));
        } finally {
            server.destroyForcibly();
            receiver.stop();
        }
    }

    @Test
    void withoutJavaSaysHowToGetIt() throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(bundle.resolve("bin/sophon-bridge").toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment()
                .put(
                        "PATH",
                        pathWithout("path-no-java", name -> name.startsWith("mvn") || name.startsWith("java"))
                                .toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(127, p.exitValue(), out);
        assertTrue(out.contains("no java on PATH") && out.contains("apt-get install openjdk-17-jre-headless"), out);
    }

    @Test
    void installsUpgradesKeepingDataAndEnvAndUninstalls() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("box"));
        Path prefix = root.resolve("opt/sophon-bridge");
        Path data = root.resolve("data/sophon-bridge");
        Path env = root.resolve("etc/sophon-bridge/sophon-bridge.env");
        Path units = root.resolve("units");
        List<String> where = List.of(
                "--prefix=" + prefix,
                "--data-dir=" + data,
                "--env-file=" + env,
                "--unit-dir=" + units,
                "--user=" + System.getProperty("user.name"));
        run(bundle, 60, command("install.sh", where));
        assertTrue(Files.isExecutable(prefix.resolve("bin/sophon-bridge")));
        Path unit = units.resolve("sophon-bridge.service");
        String unitText = Files.readString(unit);
        assertTrue(unitText.contains("\nExecStart=" + prefix.resolve("bin/sophon-bridge") + "\n"), unitText);
        assertTrue(unitText.contains("\nEnvironmentFile=" + env + "\n"), unitText);
        assertTrue(Files.readString(env).contains("\nSOPHON_BRIDGE_DATA_DIR=" + data + "\n"));
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(env)),
                "the env file may hold SOPHON_BRIDGE_UI_TOKEN");
        // systemd's own check of the unit install.sh wrote, with the binary it names in place.
        String verify = run(root, 60, "systemd-analyze", "verify", unit.toString());
        assertFalse(verify.contains(unit.getFileName().toString() + ":"), verify);

        Files.writeString(data.resolve("tasks.db"), "kept");
        Files.writeString(env, "SOPHON_BRIDGE_PORT=8123\n", java.nio.file.StandardOpenOption.APPEND);
        run(bundle, 60, command("install.sh", where)); // the upgrade
        assertEquals("kept", Files.readString(data.resolve("tasks.db")));
        assertTrue(Files.readString(env).endsWith("SOPHON_BRIDGE_PORT=8123\n"));
        assertTrue(Files.exists(env.resolveSibling("sophon-bridge.env.new")));

        run(prefix, 60, command(prefix.resolve("uninstall.sh").toString(), where));
        assertFalse(Files.exists(prefix));
        assertFalse(Files.exists(unit));
        assertEquals("kept", Files.readString(data.resolve("tasks.db")));
        assertTrue(Files.exists(env));
        List<String> purge = new ArrayList<>(where);
        purge.add("--purge");
        run(root, 60, command(bundle.resolve("uninstall.sh").toString(), purge));
        assertFalse(Files.exists(data));
        assertFalse(Files.exists(env));
    }

    private static String[] command(String program, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program.startsWith("/") ? program : bundle.resolve(program).toString());
        cmd.addAll(args);
        return cmd.toArray(String[]::new);
    }

    /** Every program on our PATH except Maven's, as links in one folder: what a box without a build has. */
    private static Path pathWithoutMaven() throws IOException {
        return pathWithout("path-bin", name -> name.startsWith("mvn"));
    }

    private static Path pathWithout(String folder, java.util.function.Predicate<String> left) throws IOException {
        Path bin = tmp.resolve(folder);
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(d)) {
                for (Path p : programs.toList()) {
                    String name = p.getFileName().toString();
                    if (!left.test(name) && Files.isExecutable(p) && !Files.exists(bin.resolve(name))) {
                        Files.createSymbolicLink(bin.resolve(name), p);
                    }
                }
            }
        }
        return bin;
    }

    /** Runs a program to its end; fails with its output unless it exits 0. */
    private static String run(Path dir, int timeoutSeconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", cmd) + " took too long");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + text);
        return text;
    }
}
