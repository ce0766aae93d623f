#!/usr/bin/env bash
# Scaffolds a new algorithm type:
#   scripts/add_algorithm.sh <name> <type> [--base=yolov5]
# creates
#   algorithms/src/main/java/sophon/bridge/algorithm/plugins/<Name>Plugin.java   the plugin (three jobs)
#   algorithms/src/test/java/sophon/bridge/algorithm/plugins/<Name>PluginTest.java its test
#   stream-graphs/<name>/config/                                                 a copy of the base set
# and adds {"type": <type>, "name": "<name>", ...} to the type map
#   algorithms/src/main/resources/sophon-bridge/algorithm-types.json
# The plugin starts as a working pass-through: the base graph's config filled like yolov5 with
# every class, and every detection inside the HotArea alarming at once, then once per
# AlarmInterval. A name or type that already exists, or a name that is not a valid identifier
# (lower-case letter, then lower-case letters, digits, _), fails with a message and changes nothing.
set -euo pipefail

fail() {
  echo "add_algorithm: $*" >&2
  exit 1
}

usage="usage: scripts/add_algorithm.sh <name> <type> [--base=<existing template, default yolov5>]"
[ $# -ge 2 ] && [ $# -le 3 ] || fail "$usage"
name="$1"
type="$2"
base="yolov5"
if [ $# -eq 3 ]; then
  case "$3" in
    --base=*) base="${3#--base=}" ;;
    *) fail "$usage" ;;
  esac
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
map="$root/algorithms/src/main/resources/sophon-bridge/algorithm-types.json"
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

# Everything is checked; from here on, undo what was made if a step fails.
created=()
map_backup="$(mktemp)"
cp "$map" "$map_backup"
undo() {
  for path in "${created[@]}"; do rm -rf "$path"; done
  cp "$map_backup" "$map"
  rm -f "$map_backup"
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
done

# 2. The plugin.
cat > "$plugins/$class.java" <<JAVA
package sophon.bridge.algorithm.plugins;

import java.util.List;
import sophon.bridge.alarm.Alarm;
import sophon.bridge.alarm.AlarmContext;
import sophon.bridge.alarm.AlarmImageException;
import sophon.bridge.alarm.AlarmMapper;
import sophon.bridge.alert.AlarmingObject;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.alert.ClassInAreaAlerts;
import sophon.bridge.algorithm.AlgorithmPlugin;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.streamconfig.ConfigSet;
import sophon.bridge.streamconfig.FillProfile;
import sophon.bridge.streamconfig.StandardFill;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.TaskRequest;

/**
 * Type ${type}: ${name} (made by scripts/add_algorithm.sh from the ${base} template). Starts as a
 * pass-through: every detection inside the HotArea alarms, then once per AlarmInterval.
 */
public final class ${class} implements AlgorithmPlugin {
    /** Class+area filter keeping every class of the set's class-names file. */
    private static final FillProfile PROFILE = FillProfile.classInArea(List.of());

    @Override
    public void fillConfig(ConfigSet configs, TaskRequest task, AlgorithmSpec algorithm) {
        StandardFill.apply(configs, task, algorithm, PROFILE);
    }

    @Override
    public AlertLogic newAlertLogic(AlgorithmSpec algorithm) {
        return ClassInAreaAlerts.passThrough(algorithm);
    }

    @Override
    public Alarm toAlarm(AlarmContext context, FrameResult frame, List<AlarmingObject> objects)
            throws AlarmImageException {
        return AlarmMapper.map(context, frame, objects);
    }
}
JAVA
created+=("$plugins/$class.java")

# 3. Its test.
mkdir -p "$plugin_tests"
cat > "$plugin_tests/${class}Test.java" <<JAVA
package sophon.bridge.algorithm.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sophon.bridge.alert.AlertLogic;
import sophon.bridge.algorithm.AlgorithmRegistry;
import sophon.bridge.frame.Base64Image;
import sophon.bridge.frame.Box;
import sophon.bridge.frame.DetectedObject;
import sophon.bridge.frame.FrameResult;
import sophon.bridge.task.AlgorithmSpec;
import sophon.bridge.task.DetectInfo;
import sophon.bridge.task.Point;

class ${class}Test {
    private static final int TYPE = ${type};

    private static FrameResult frame(long id, int x) {
        DetectedObject o = new DetectedObject(0, new Box(x, 400, 100, 200), 5, 0.9, "object", 1, null);
        return new FrameResult(0, id, 0, 1920, 1080, false, Base64Image.of("/9j/"), List.of(o), List.of(), 0, 0);
    }

    @Test
    void theTypeMapFindsThePlugin() {
        AlgorithmRegistry registry = AlgorithmRegistry.load();
        assertEquals("${name}", registry.type(TYPE).orElseThrow().name());
        assertInstanceOf(${class}.class, registry.plugin(TYPE).orElseThrow());
    }

    @Test
    void everyDetectionInsideTheHotAreaAlarmsAtOnceThenOncePerAlarmInterval() {
        List<Point> leftHalf = List.of(new Point(0, 0), new Point(960, 0), new Point(960, 1080), new Point(0, 1080));
        AlgorithmSpec spec =
                new AlgorithmSpec(TYPE, 20, 1, 10, 50.0, null, List.of(new DetectInfo(null, leftHalf)), null);
        AlertLogic inside = new ${class}().newAlertLogic(spec);
        AlertLogic outside = new ${class}().newAlertLogic(spec);
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
    void itsTemplateSetExists() {
        Path home = Path.of(System.getProperty("sophon.bridge.home", ".."));
        assertTrue(Files.isRegularFile(home.resolve("stream-graphs/${name}/config/${name}_demo.json")));
    }
}
JAVA
created+=("$plugin_tests/${class}Test.java")

# 4. The type-map entry, appended to the JSON array.
content="$(cat "$map")"
body="${content%]*}"
body="${body%"${body##*[![:space:]]}"}"
separator=","
[[ "$body" == *"[" ]] && separator=""
printf '%s%s\n  {"type": %s, "name": "%s", "plugin": "sophon.bridge.algorithm.plugins.%s"}\n]\n' \
  "$body" "$separator" "$type" "$name" "$class" > "$map"

trap - ERR
rm -f "$map_backup"
# 5. The generated Java in the project's one style: `verify` checks it, and a long name wraps lines.
files=".*/plugins/${class}\\.java,.*/plugins/${class}Test\\.java"
if ! (cd "$root" && { mvn -B -q -o -pl algorithms spotless:apply "-DspotlessFiles=$files" >/dev/null 2>&1 \
                      || mvn -B -q -pl algorithms spotless:apply "-DspotlessFiles=$files" >/dev/null 2>&1; }); then
  echo "note: the formatter did not run; run 'mvn spotless:apply' before ./scripts/test.sh" >&2
fi
echo "added algorithm '$name' (type $type):"
echo "  stream-graphs/$name/config/ (from $base)"
echo "  algorithms/src/main/java/sophon/bridge/algorithm/plugins/$class.java"
echo "  algorithms/src/test/java/sophon/bridge/algorithm/plugins/${class}Test.java"
echo "  type map entry in algorithms/src/main/resources/sophon-bridge/algorithm-types.json"
echo "Next: point the detector in stream-graphs/$name/config at your model, then ./scripts/test.sh"
