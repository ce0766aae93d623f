package sophon.bridge.streamgraphs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import sophon.bridge.algorithm.AlgorithmRegistry;

/**
 * The READMEs' type tables say what the type map says: a type added by hand without its rows fails
 * here ({@code scripts/add_algorithm.sh} writes them).
 */
class TypeTablesTest {
    private static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .toAbsolutePath()
            .normalize();

    /** "type name" of every entry of the type map. */
    private static List<String> typeMap() {
        return AlgorithmRegistry.load().types().stream()
                .map(t -> t.type() + " " + t.name())
                .toList();
    }

    /** The lines of the table whose header line starts with {@code header}, header and rule left out. */
    private static List<String> tableRows(Path file, String header) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith(header)) {
                start = i + 2;
            }
        }
        List<String> rows = new ArrayList<>();
        for (int i = start; start >= 0 && i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        assertEquals(false, rows.isEmpty(), file + " has a table starting " + header);
        return rows;
    }

    @Test
    void theReadmeListsEveryTypeOfTheMap() throws IOException {
        List<String> lines = Files.readAllLines(HOME.resolve("README.md"));
        int at = lines.stream()
                .filter(l -> l.startsWith("Shipped types"))
                .findFirst()
                .map(lines::indexOf)
                .orElseThrow();
        String listing = lines.get(at + 1).replaceAll("\\.$", "");
        List<String> listed = List.of(listing.split(", "));
        assertEquals(new TreeSet<>(typeMap()), new TreeSet<>(listed));
        assertEquals(typeMap().size(), listed.size(), "each type once: " + listing);
    }

    @Test
    void theTemplateTableHasOneRowPerTypeAndTheFaceGraph() throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z0-9_]+)` \\| ([0-9]+|–) \\|");
        Set<String> listed = new TreeSet<>();
        for (String line : tableRows(HOME.resolve("stream-graphs/README.md"), "| name | type | graph")) {
            Matcher m = row.matcher(line);
            assertEquals(true, m.find(), line);
            listed.add(m.group(2) + " " + m.group(1));
        }
        Set<String> expected = new TreeSet<>(typeMap());
        expected.add("– retinaface");
        assertEquals(expected, listed);
    }

    @Test
    void theAlertRuleTableCoversEveryTypeOnce() throws IOException {
        Pattern entry = Pattern.compile("([0-9]+) ([a-z0-9_]+)");
        List<String> listed = new ArrayList<>();
        for (String line : tableRows(HOME.resolve("business-logic/README.md"), "| type | plugin | an alarm when |")) {
            Matcher m = entry.matcher(line.split("\\|")[1]);
            while (m.find()) {
                listed.add(m.group(1) + " " + m.group(2));
            }
        }
        assertEquals(new TreeSet<>(typeMap()), new TreeSet<>(listed), "types of the alert rule table");
        assertEquals(
                typeMap().size(),
                listed.size(),
                "each type in one row: " + listed.stream().collect(Collectors.joining(", ")));
    }
}
