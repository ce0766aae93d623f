package sophon.bridge.logic;

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
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/add_algorithm.sh end to end, on a copy of the repository (never the real tree): it adds
 * a type that then builds and passes the algorithms module's tests (offline Maven), and refuses
 * existing names and types and bad identifiers without changing a file.
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
        for (String module : List.of("algorithms", "stream-graphs", "business-logic", "cpu-stream", "server")) {
            Files.createDirectories(copy.resolve(module));
            if (Files.exists(HOME.resolve(module).resolve("pom.xml"))) {
                Files.copy(
                        HOME.resolve(module).resolve("pom.xml"),
                        copy.resolve(module).resolve("pom.xml"));
            }
        }
        for (String tree : List.of("scripts", "algorithms/src", "stream-graphs", "cpu-stream/root")) {
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

    @Test
    void addsAWorkingTypeAndRefusesDuplicatesAndBadNamesWithoutChangingAnything() throws Exception {
        copyRepo();
        String script = copy.resolve("scripts/add_algorithm.sh").toString();
        Run added = run(60, script, "smoke_fire", "77");
        assertEquals(0, added.code(), added.output());
        assertTrue(Files.isRegularFile(
                copy.resolve("algorithms/src/main/java/sophon/bridge/algorithm/plugins/SmokeFirePlugin.java")));
        assertTrue(Files.isRegularFile(
                copy.resolve("algorithms/src/test/java/sophon/bridge/algorithm/plugins/SmokeFirePluginTest.java")));
        assertTrue(Files.isRegularFile(copy.resolve("stream-graphs/smoke_fire/config/smoke_fire_demo.json")));
        assertTrue(
                Files.readString(copy.resolve("algorithms/src/main/resources/sophon-bridge/algorithm-types.json"))
                        .contains(
                                "{\"type\": 77, \"name\": \"smoke_fire\", \"plugin\": \"sophon.bridge.algorithm.plugins.SmokeFirePlugin\"}"));

        TreeMap<String, String> before = snapshot();
        for (String[] bad : List.of(
                new String[] {"smoke_fire", "78", "name 'smoke_fire' already exists"},
                new String[] {"other_fire", "77", "type 77 already exists"},
                new String[] {"tripwire", "79", "name 'tripwire' already exists"},
                new String[] {"Fire-2", "80", "is not a valid identifier"},
                new String[] {"9lives", "81", "is not a valid identifier"},
                new String[] {"ok_name", "x", "is not a positive whole number"})) {
            Run refused = run(30, script, bad[0], bad[1]);
            assertNotEquals(0, refused.code(), String.join(" ", bad));
            assertTrue(refused.output().contains(bad[2]), refused.output());
        }
        assertEquals(before, snapshot(), "a refused run changes nothing");

        // The project still builds, in its one style, and its tests pass, the new plugin's test included.
        Run build = run(
                230, "mvn", "-B", "-o", "-q", "-pl", "algorithms", "spotless:check", "checkstyle:check@braces", "test");
        assertEquals(0, build.code(), build.output());
        Path report = copy.resolve(
                "algorithms/target/surefire-reports/sophon.bridge.algorithm.plugins.SmokeFirePluginTest.txt");
        String result = Files.readString(report);
        assertTrue(result.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), result);
    }
}
