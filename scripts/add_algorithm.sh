#!/usr/bin/env bash
# Scaffolds a new algorithm type:
#   scripts/add_algorithm.sh <name> <type> [--base=yolov5] [--element=<new element>:<base element>]
# creates
#   algorithms/src/main/java/sophon/bridge/algorithm/plugins/<Name>Plugin.java   the plugin
#   algorithms/src/test/java/sophon/bridge/algorithm/plugins/<Name>PluginTest.java its test
#   stream-graphs/<name>/config/                                                 a copy of the base set
# adds {"type": <type>, "name": "<name>", ...} to the type map
#   algorithms/src/main/resources/sophon-bridge/algorithm-types.json
# and a row for the type to the type tables of README.md, stream-graphs/README.md and
# business-logic/README.md (stream-graphs' TypeTablesTest fails when they differ from the map).
# --element renames the base set's element <base element> to <new element> and adds the new name
# to the element registry (algorithms/src/main/resources/sophon-bridge/stream-elements.json),
# run like <base element>: cpu-stream, the config fill and the template checks all read it there.
# The plugin starts as a working pass-through: the base graph's config filled like yolov5 with
# every class, and every detection (or face, on the retinaface set) inside the HotArea alarming at
# once, then once per AlarmInterval. A name or type that already exists, or a name that is not a
# valid identifier (lower-case letter, then lower-case letters, digits, _), fails with a message and
# changes nothing.
set -euo pipefail

fail() {
  echo "add_algorithm: $*" >&2
  exit 1
}

usage="usage: scripts/add_algorithm.sh <name> <type> [--base=<existing template, default yolov5>] [--element=<new>:<base element>]"
[ $# -ge 2 ] && [ $# -le 4 ] || fail "$usage"
name="$1"
type="$2"
base="yolov5"
new_element=""
like_element=""
shift 2
for option in "$@"; do
  case "$option" in
    --base=*) base="${option#--base=}" ;;
    --element=*:*)
      new_element="${option#--element=}"
      like_element="${new_element#*:}"
      new_element="${new_element%%:*}"
      ;;
    *) fail "$usage" ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
map="$root/algorithms/src/main/resources/sophon-bridge/algorithm-types.json"
elements="$root/algorithms/src/main/resources/sophon-bridge/stream-elements.json"
readmes=("$root/README.md" "$root/stream-graphs/README.md" "$root/business-logic/README.md")
graphs="$root/stream-graphs"
plugins="$root/algorithms/src/main/java/sophon/bridge/algorithm/plugins"
plugin_tests="$root/algorithms/src/test/java/sophon/bridge/algorithm/plugins"

[[ "$name" =~ ^[a-z][a-z0-9_]{0,63}$ ]] \
  || fail "name '$name' is not a valid identifier: use a lower-case letter, then lower-case letters, digits or _"
[[ "$type" =~ ^[1-9][0-9]{0,8}$ ]] || fail "type '$type' is not a positive whole number"
[[ "$base" =~ ^[a-z][a-z0-9_]*$ ]] || fail "base '$base' is not a valid name"
[ -f "$map" ] || fail "type map $map not found"

# "Name_with_parts" -> "NameWithParts"
camel=""
IFS='_' read -r -a parts <<< "$name"
for part in "${parts[@]}"; do
  camel+="${part^}"
done
class="${camel}Plugin"

if grep -Eq "\"type\"[[:space:]]*:[[:space:]]*${type}[[:space:]]*[,}]" "$map"; then
  fail "type $type already exists in the type map ($(grep -E "\"type\"[[:space:]]*:[[:space:]]*${type}[[:space:]]*[,}]" "$map" | tr -s ' ' | sed 's/^ //'))"
fi
grep -Eq "\"name\"[[:space:]]*:[[:space:]]*\"${name}\"" "$map" && fail "name '$name' already exists in the type map"
[ -e "$graphs/$name" ] && fail "stream-graphs/$name already exists"
[ -e "$plugins/$class.java" ] && fail "plugin class $class already exists"
[ -e "$plugin_tests/${class}Test.java" ] && fail "test ${class}Test already exists"
[ -f "$graphs/$base/config/${base}_demo.json" ] || fail "base template stream-graphs/$base/config/${base}_demo.json not found"
for readme in "${readmes[@]}"; do
  [ -f "$readme" ] || fail "$readme not found"
done
if [ -n "$new_element$like_element" ]; then
  [[ "$new_element" =~ ^[a-z][a-z0-9_]{0,63}$ ]] || fail "element '$new_element' is not a valid element name"
  grep -Eq "\"${new_element}\"" "$elements" && fail "element '$new_element' is already in the element registry"
  grep -lEq "\"name\"[[:space:]]*:[[:space:]]*\"${like_element}\"" "$graphs/$base/config/"*.json \
    || fail "the $base template has no element '$like_element' to rename"
fi

# Everything is checked; from here on, undo what was made if a step fails.
created=()
edited=("$map" "$elements" "${readmes[@]}")
backup="$(mktemp -d)"
for ((i = 0; i < ${#edited[@]}; i++)); do cp "${edited[i]}" "$backup/$i"; done
undo() {
  for path in "${created[@]}"; do rm -rf "$path"; done
  for ((i = 0; i < ${#edited[@]}; i++)); do cp "$backup/$i" "${edited[i]}"; done
  rm -rf "$backup"
  echo "add_algorithm: failed; nothing was changed" >&2
}
trap undo ERR

# 1. The template set: the base's files, those named after the base renamed, references updated.
mkdir "$graphs/$name"
created+=("$graphs/$name")
mkdir "$graphs/$name/config"
renames=()
for file in "$graphs/$base/config/"*; do
  old="$(basename "$file")"
  new="$old"
  if [[ "$old" == "${base}_"* ]]; then
    new="${name}_${old#"${base}_"}"
    renames+=("$old" "$new")
  fi
  cp "$file" "$graphs/$name/config/$new"
done
for file in "$graphs/$name/config/"*; do
  for ((i = 0; i < ${#renames[@]}; i += 2)); do
    sed -i "s#config/${renames[i]}\"#config/${renames[i+1]}\"#g" "$file"
  done
  sed -i -E "s#(\"graph_name\"[[:space:]]*:[[:space:]]*)\"${base}\"#\1\"${name}\"#" "$file"
  if [ -n "$new_element" ]; then
    sed -i -E "s#(\"name\"[[:space:]]*:[[:space:]]*)\"${like_element}\"#\1\"${new_element}\"#" "$file"
  fi
done

# 2. The plugin: what differs from the standard fill and alarm (AlgorithmPlugin's defaults).
#    The filter keeps every class of the set's class-names file; a base that names none (tripwire)
#    cannot say what "every class" is, so its filter keeps class 0 (person in COCO), as the base does.
profile_classes="List.of()"
profile_comment="Class+area filter keeping every class of the set's class-names file."
if ! grep -Eq '"class_names(_file)?"' "$graphs/$base/config/"*.json; then
  profile_classes="List.of(0)"
  profile_comment="Class+area filter keeping class 0 (person): the ${base} set names no class-names file."
fi
cat > "$plugins/$class.java" <<JAVA
package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.ClassInAreaAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.task.AlgorithmSpec;

/**
 * Type ${type}: ${name} (made by scripts/add_algorithm.sh from the ${base} template). Starts as a
 * pass-through: every detection or face inside the HotArea alarms, then once per AlarmInterval.
 */
public final class ${class} implements AlgorithmPlugin {
    /** ${profile_comment} */
    private static final FillProfile PROFILE = FillProfile.classInArea(${profile_classes});

    @Override
    public FillProfile fillProfile() {
        return PROFILE;
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return ClassInAreaAlerts.passThrough(algorithm);
    }
}
JAVA
created+=("$plugins/$class.java")

# 3. Its test: the plugin's two jobs, as the server and the business-logic process call them.
mkdir -p "$plugin_tests"
cat > "$plugin_tests/${class}Test.java" <<JAVA
package sophon.bridge.algorithm.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameMetadata;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.frame.ObjectMetadata;
import sophon.bridge.streamconfig.BuiltConfig;
import sophon.bridge.streamconfig.ConfigRequest;
import sophon.bridge.streamconfig.ConfigSetBuilder;
import sophon.bridge.streamconfig.Endpoint;
import sophon.bridge.streamconfig.StreamElements;
import sophon.bridge.streamconfig.StreamRoot;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.Point;
import sophon.bridge.task.TaskRequest;

/** Type ${type} (${name}): what the type map's plugin does for the server and for business logic. */
class ${class}Test {
    private static final int TYPE = ${type};
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Path HOME = Path.of(System.getProperty("sophon.bridge.home", ".."))
            .toAbsolutePath()
            .normalize();

    private static AlgorithmPlugin plugin() {
        return AlgorithmRegistry.load().plugin(TYPE).orElseThrow();
    }

    private static FrameResult frame(long id, int x) {
        DetectedObject o = new DetectedObject(0, new Box(x, 400, 100, 200), 5, 0.9, "object", 1, null);
        FrameMetadata f = new FrameMetadata(0, id, 0, 1920, 1080, false, Base64Image.of("/9j/"));
        return new FrameResult(ObjectMetadata.of(f), List.of(o), 0, 0);
    }

    @Test
    void everyDetectionInsideTheHotAreaAlarmsAtOnceThenOncePerAlarmInterval() {
        List<Point> leftHalf = List.of(new Point(0, 0), new Point(960, 0), new Point(960, 1080), new Point(0, 1080));
        AlgorithmSpec spec =
                new AlgorithmSpec(TYPE, 20, 1, 10, 50.0, null, List.of(new DetectInfo(null, leftHalf)), null);
        AlertLogic inside = plugin().newAlertLogic(spec);
        AlertLogic outside = plugin().newAlertLogic(spec);
        List<Long> alarms = new ArrayList<>();
        for (long id = 0; id <= 25; id++) {
            if (!inside.onFrame(frame(id, 100)).isEmpty()) {
                alarms.add(id);
            }
            assertTrue(outside.onFrame(frame(id, 1500)).isEmpty());
        }
        assertEquals(List.of(0L, 10L, 20L), alarms);
    }

    @Test
    void theTasksSourceThresholdAndHotAreaReachTheGeneratedConfigSet(@TempDir Path dir) throws Exception {
        Path video = Files.createFile(dir.resolve("camera.mp4"));
        TaskRequest task = JSON.readValue(
                """
                {"TaskID": "t1", "InputSrc": {"SrcID": "cam", "StreamSrc": {"Address": %s}},
                 "Algorithm": [{"Type": %d, "TrackInterval": 5, "DetectInterval": 2, "AlarmInterval": 50,
                                "threshold": 35, "DetectInfos": [{"HotArea": [{"X": 100, "Y": 100},
                                  {"X": 900, "Y": 100}, {"X": 900, "Y": 700}, {"X": 100, "Y": 700}]}]}],
                 "Reporting": {"ReportUrlList": ["http://127.0.0.1:8089/api/upload"]}}
                """.formatted(JSON.writeValueAsString(video.toString()), TYPE),
                TaskRequest.class);
        ConfigRequest request = new ConfigRequest(
                task,
                0,
                dir.resolve("0-${name}"),
                new StreamRoot(HOME.resolve("cpu-stream/root"), false),
                new Endpoint("127.0.0.1", 10001, "/frames"),
                null);
        BuiltConfig built =
                new ConfigSetBuilder(HOME.resolve("stream-graphs"), AlgorithmRegistry.load()).build(request);

        JsonNode channel = JSON.readTree(built.algorithmDir().resolve(built.demoConfigArgument()).toFile())
                .path("channels")
                .path(0);
        assertEquals(video.toString(), channel.path("url").asText());
        assertEquals(2, channel.path("sample_interval").asInt());
        try (Stream<Path> files = Files.list(built.algorithmDir().resolve("config"))) {
            for (Path file : files.toList()) {
                JsonNode element = JSON.readTree(file.toFile());
                JsonNode configure = element.path("configure");
                for (String key : StreamElements.shipped().thresholdKeys(element.path("name").asText())) {
                    if (configure.has(key) && !configure.get(key).isObject()) {
                        assertEquals(0.35, configure.get(key).asDouble(), 1e-9, file + " " + key);
                    }
                }
                if (element.path("name").asText().equals("filter")) {
                    JsonNode area = configure.path("rules").path(0).path("filters").path(0).path("areas").path(0);
                    assertEquals(4, area.size(), file + ": the HotArea polygon");
                    assertEquals(900, area.path(1).path("left").asInt(), file.toString());
                }
            }
        }
    }
}
JAVA
created+=("$plugin_tests/${class}Test.java")

# 4. The type-map entry (and the new element's registry entry), appended to the JSON arrays.
append_to_array() { # <file> <object>
  local content body separator
  content="$(cat "$1")"
  body="${content%]*}"
  body="${body%"${body##*[![:space:]]}"}"
  separator=","
  [[ "$body" == *"[" ]] && separator=""
  printf '%s%s\n  %s\n]\n' "$body" "$separator" "$2" > "$1"
}
append_to_array "$map" "{\"type\": $type, \"name\": \"$name\", \"plugin\": \"sophon.bridge.algorithm.plugins.$class\"}"
if [ -n "$new_element" ]; then
  append_to_array "$elements" "{\"names\": [\"$new_element\"], \"like\": \"$like_element\"}"
fi

# 5. The type tables of the READMEs (stream-graphs' TypeTablesTest checks them against the map).
#    README.md: the list on the line after "Shipped types"; the others: a row after the table's last.
add_row() { # <file> <line that starts the table> <row>
  awk -v head="$2" -v row="$3" '
    in_table && !/^\|/ { print row; in_table = 0; done = 1 }
    { print }
    !done && index($0, head) == 1 { in_table = 1 }
    END { if (in_table) print row }' "$1" > "$1.tmp"
  mv "$1.tmp" "$1"
}
awk -v entry="$type $name" '
  listing && /\.$/ { sub(/\.$/, ", " entry "."); listing = 0 }
  { print }
  /^Shipped types/ { listing = 1 }' "$root/README.md" > "$root/README.md.tmp"
mv "$root/README.md.tmp" "$root/README.md"
add_row "$root/stream-graphs/README.md" "| name | type | graph" \
  "| \`$name\` | $type | as \`$base\`${new_element:+, $like_element → $new_element} (scripts/add_algorithm.sh) |"
add_row "$root/business-logic/README.md" "| type | plugin | an alarm when |" \
  "| $type $name | \`ClassInAreaAlerts.passThrough\` | every detection inside the HotArea, at once, then once per AlarmInterval (scripts/add_algorithm.sh's starting point) |"

trap - ERR
rm -rf "$backup"
# 6. The generated Java in the project's one style: `verify` checks it, and a long name wraps lines.
files=".*/plugins/${class}\\.java,.*/plugins/${class}Test\\.java"
if ! (cd "$root" && { mvn -B -q -o -pl algorithms spotless:apply "-DspotlessFiles=$files" >/dev/null 2>&1 \
                      || mvn -B -q -pl algorithms spotless:apply "-DspotlessFiles=$files" >/dev/null 2>&1; }); then
  echo "note: the formatter did not run; run 'mvn spotless:apply' before ./scripts/test.sh" >&2
fi
echo "added algorithm '$name' (type $type):"
echo "  stream-graphs/$name/config/ (from $base${new_element:+, element $like_element renamed $new_element})"
echo "  algorithms/src/main/java/sophon/bridge/algorithm/plugins/$class.java"
echo "  algorithms/src/test/java/sophon/bridge/algorithm/plugins/${class}Test.java"
echo "  type map entry in algorithms/src/main/resources/sophon-bridge/algorithm-types.json"
[ -z "$new_element" ] || echo "  element $new_element (like $like_element) in algorithms/src/main/resources/sophon-bridge/stream-elements.json"
echo "  a row in the type tables of README.md, stream-graphs/README.md and business-logic/README.md"
echo "Next: point the detector in stream-graphs/$name/config at your model, then ./scripts/test.sh"
