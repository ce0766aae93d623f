package sophon.bridge.streamgraphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/add_algorithm.sh end to end, on a copy of the repository (never the real tree): a type
 * on every shipped template, and one bringing a new element name, touch no core class — the copy
 * then builds in the project's style and passes the tests that read the type map, the element
 * registry and the READMEs' type tables (algorithms, stream-graphs, cpu-stream's ElementFactory;
 * offline Maven) — and existing names, types, elements and bad identifiers are refused without
 * changing a file.
 */
class AddAlgorithmScriptTest {
    private static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path temp;

    private Path copy;

    /**
     * The copy sits beside a link to the shared test data, as the repository sits beside
     * {@code shared/}: tests find the videos at {@code <repo>/../shared/testdata/}.
     */
    private void copyRepo() throws IOException {
        copy = Files.createDirectories(temp.resolve("repo"));
        Path shared = HOME.resolve("../shared").normalize();
        if (Files.isDirectory(shared)) {
            Files.createSymbolicLink(temp.resolve("shared"), shared);
        }
        Files.copy(HOME.resolve("pom.xml"), copy.resolve("pom.xml"));
        Files.copy(HOME.resolve("checkstyle.xml"), copy.resolve("checkstyle.xml"));
        Files.copy(HOME.resolve("README.md"), copy.resolve("README.md"));
        for (String module : List.of("algorithms", "stream-graphs", "business-logic", "cpu-stream", "server")) {
            Files.createDirectories(copy.resolve(module));
            if (Files.exists(HOME.resolve(module).resolve("pom.xml"))) {
                Files.copy(
                        HOME.resolve(module).resolve("pom.xml"),
                        copy.resolve(module).resolve("pom.xml"));
            }
        }
        Files.copy(HOME.resolve("business-logic/README.md"), copy.resolve("business-logic/README.md"));
        for (String tree : List.of("scripts", "algorithms/src", "stream-graphs", "cpu-stream/root", "cpu-stream/src")) {
            if (Files.isDirectory(HOME.resolve(tree))) {
                copyTree(HOME.resolve(tree), copy.resolve(tree));
            }
        }
        copy.resolve("scripts/add_algorithm.sh").toFile().setExecutable(true);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getFileName().toString().equals("target")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(
                        file,
                        to.resolve(from.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private record Run(int code, String output) {}

    private Run run(long timeoutSeconds, String... command) throws Exception {
        Path log = Files.createTempFile("run", ".log");
        Process p = new ProcessBuilder(command)
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        Files.delete(log);
        return new Run(p.exitValue(), output);
    }

    /** Path → SHA-256 of every file of the copy. */
    private TreeMap<String, String> snapshot() throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(copy.relativize(f).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    private static final String PLUGINS = "algorithms/src/main/java/sophon/bridge/algorithm/plugins/";
    private static final String MAP = "algorithms/src/main/resources/sophon-bridge/algorithm-types.json";
    private static final String ELEMENTS = "algorithms/src/main/resources/sophon-bridge/stream-elements.json";

    /** The tests that read what the script writes; not this one, which would run itself in the copy. */
    private static final String TESTS_OF_WHAT_IT_WRITES =
            "*PluginTest,ShippedTypesAlarmTest,ConfigSetBuilderTest,TemplateSetsTest,TypeTablesTest,ElementFactoryTest";

    @Test
    void addsWorkingTypesOnEveryTemplateAndANewElementAndRefusesWhatExistsWithoutChangingAnything() throws Exception {
        copyRepo();
        String script = copy.resolve("scripts/add_algorithm.sh").toString();
        Run added = run(60, script, "smoke_fire", "77", "--base=yolov8", "--element=yolov11_group:yolov8_group");
        assertEquals(0, added.code(), added.output());
        assertTrue(Files.isRegularFile(copy.resolve(PLUGINS + "SmokeFirePlugin.java")));
        assertTrue(Files.isRegularFile(
                copy.resolve("algorithms/src/test/java/sophon/bridge/algorithm/plugins/SmokeFirePluginTest.java")));
        assertTrue(Files.readString(copy.resolve("stream-graphs/smoke_fire/config/smoke_fire_group.json"))
                .contains("\"name\": \"yolov11_group\""));
        assertTrue(
                Files.readString(copy.resolve(MAP))
                        .contains(
                                "{\"type\": 77, \"name\": \"smoke_fire\", \"plugin\": \"sophon.bridge.algorithm.plugins.SmokeFirePlugin\"}"));
        assertTrue(Files.readString(copy.resolve(ELEMENTS))
                .contains("{\"names\": [\"yolov11_group\"], \"like\": \"yolov8_group\"}"));

        // Every shipped template works as a base (7 sets, types 101..).
        List<String> bases = TemplateSetsTest.templateNames();
        int type = 101;
        List<String> generatedTests = new ArrayList<>(List.of("SmokeFirePluginTest"));
        for (String base : bases) {
            Run fromBase = run(60, script, "from_" + base, String.valueOf(type++), "--base=" + base);
            assertEquals(0, fromBase.code(), base + ": " + fromBase.output());
            generatedTests.add("From" + camel(base) + "PluginTest");
        }
        assertTrue(generatedTests.size() >= 8, generatedTests.toString());

        TreeMap<String, String> before = snapshot();
        for (String[] bad : List.of(
                new String[] {"smoke_fire", "78", "name 'smoke_fire' already exists"},
                new String[] {"other_fire", "77", "type 77 already exists"},
                new String[] {"tripwire", "79", "name 'tripwire' already exists"},
                new String[] {"Fire-2", "80", "is not a valid identifier"},
                new String[] {"9lives", "81", "is not a valid identifier"},
                new String[] {"ok_name", "x", "is not a positive whole number"},
                new String[] {"ok_name", "82", "--element=yolov11_group:yolov8_group", "already in the element registry"
                },
                new String[] {"ok_name", "83", "--element=yolov12_group:lprnet_group", "has no element 'lprnet_group'"
                })) {
            String[] command = new String[bad.length];
            command[0] = script;
            System.arraycopy(bad, 0, command, 1, bad.length - 1);
            Run refused = run(30, command);
            assertNotEquals(0, refused.code(), String.join(" ", bad));
            assertTrue(refused.output().contains(bad[bad.length - 1]), refused.output());
        }
        assertEquals(before, snapshot(), "a refused run changes nothing");

        // The project still builds in its one style, and the tests that read the type map, the
        // element registry and the type tables pass, each generated plugin's test included.
        // 9 minutes on the 2-core machine under other builds' load (load average 22); ~2 when quiet
        Run build = run(
                1200,
                "mvn",
                "-B",
                "-o",
                "-q",
                "-pl",
                "algorithms,stream-graphs,cpu-stream",
                "spotless:check",
                "checkstyle:check@braces",
                "test",
                "-Dtest=" + TESTS_OF_WHAT_IT_WRITES,
                "-Dsurefire.failIfNoSpecifiedTests=false");
        assertEquals(0, build.code(), build.output());
        for (String test : generatedTests) {
            String result = Files.readString(copy.resolve(
                    "algorithms/target/surefire-reports/sophon.bridge.algorithm.plugins." + test + ".txt"));
            assertTrue(result.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), test + ": " + result);
        }
        String elements = Files.readString(copy.resolve(
                "cpu-stream/target/surefire-reports/sophon.bridge.cpustream.element.ElementFactoryTest.txt"));
        assertTrue(elements.contains("Failures: 0, Errors: 0"), elements);
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
