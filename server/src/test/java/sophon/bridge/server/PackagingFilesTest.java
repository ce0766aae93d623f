package sophon.bridge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sophon.bridge.server.supervise.SupervisionPolicy;

/**
 * The release bundle's service files (packaging/) against the server they run: every option in
 * the env file, the unit's stop timeout long enough for the server's own ordered stop. The bundle
 * itself is built, installed and run by {@code e2e.BundleIT}.
 */
class PackagingFilesTest {
    static final Path PACKAGING = AppHome.find().resolve("packaging");

    @AfterEach
    void clearLogTarget() {
        System.clearProperty(LogTarget.PROPERTY);
    }

    @Test
    void theEnvFileNamesEveryOptionOfTheServer() throws Exception {
        Set<String> options = new TreeSet<>();
        Matcher m = Pattern.compile("Env (SOPHON_BRIDGE_[A-Z_]+)").matcher(ServerOptions.USAGE);
        while (m.find()) {
            options.add(m.group(1));
        }
        assertTrue(options.size() >= 10, "USAGE lists its env names as 'Env NAME': " + options);
        String env = Files.readString(PACKAGING.resolve("sophon-bridge.env"));
        for (String name : options) {
            assertTrue(
                    Pattern.compile("(?m)^#?" + name + "=").matcher(env).find(),
                    name + " missing in sophon-bridge.env");
        }
        // The service's data must not land in its working directory's ./data by accident.
        assertTrue(env.contains("\nSOPHON_BRIDGE_DATA_DIR=/data/sophon-bridge\n"));
    }

    @Test
    void theUnitLetsTheServerStopItsChildrenAndLogsToTheJournal() throws Exception {
        Map<String, String> unit = new LinkedHashMap<>();
        for (String line : Files.readAllLines(PACKAGING.resolve("sophon-bridge.service"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                unit.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals("on-failure", unit.get("Restart"));
        assertEquals("mixed", unit.get("KillMode"));
        // A stop is SIGTERM to stream then business logic, each with the grace before SIGKILL.
        Duration grace = SupervisionPolicy.defaults().stopGrace();
        assertTrue(
                Duration.ofSeconds(Long.parseLong(unit.get("TimeoutStopSec")))
                                .compareTo(grace.multipliedBy(2).plusSeconds(10))
                        >= 0,
                "TimeoutStopSec " + unit.get("TimeoutStopSec"));
        assertTrue(Long.parseLong(unit.get("LimitNOFILE")) >= 4096);
        assertEquals("/etc/sophon-bridge/sophon-bridge.env", unit.get("EnvironmentFile"));
        assertEquals("/opt/sophon-bridge/bin/sophon-bridge", unit.get("ExecStart"));
        assertEquals("journal", unit.get("StandardOutput"));
    }

    @Test
    void underTheJournalTheServerWritesNoLogFile() {
        LogTarget.choose(Map.of("JOURNAL_STREAM", "8:12345"));
        assertEquals("/dev/null", System.getProperty(LogTarget.PROPERTY));
        LogTarget.choose(Map.of("INVOCATION_ID", "abc")); // systemd with StandardOutput=file: keep ours
        assertNull(System.getProperty(LogTarget.PROPERTY));
    }
}
