package sophon.bridge.cpustream.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sophon.bridge.cpustream.config.ConfigException;

/** Parses the filter element's configure.rules into rules per channel id, checked like the real element does. */
public final class FilterConfig {
    private FilterConfig() {}

    public static Map<Integer, List<FilterRule>> parse(JsonNode configure, String where) throws ConfigException {
        JsonNode rules = configure.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new ConfigException(where + ": filter \"rules\" must be an array");
        }
        Map<Integer, List<FilterRule>> byChannel = new HashMap<>();
        for (JsonNode rule : rules) {
            JsonNode ch = rule.get("channel_id");
            if (ch == null || !ch.isInt()) {
                throw new ConfigException(where + ": filter rule needs an integer \"channel_id\"");
            }
            JsonNode filters = rule.get("filters");
            if (filters == null || !filters.isArray()) {
                throw new ConfigException(
                        where + ": filter rule of channel " + ch.asInt() + " needs a \"filters\" array");
            }
            List<FilterRule> list = new ArrayList<>();
            for (JsonNode f : filters) {
                list.add(filter(f, where + " channel " + ch.asInt()));
            }
            byChannel.put(ch.asInt(), List.copyOf(list));
        }
        return byChannel;
    }

    private static FilterRule filter(JsonNode f, String where) throws ConfigException {
        // The real element reads "alert_first_frame"; its README spells "alert_first_frames". Accept both.
        int first = f.has("alert_first_frame")
                ? f.path("alert_first_frame").asInt(0)
                : f.path("alert_first_frames").asInt(0);
        int skip = f.path("alert_frame_skip_nums").asInt(1);
        if (skip < 1) {
            throw new ConfigException(where + ": alert_frame_skip_nums must be at least 1");
        }
        JsonNode areas = f.get("areas");
        if (areas == null || !areas.isArray()) {
            throw new ConfigException(where + ": \"areas\" must be an array of polygons");
        }
        List<List<Geometry.P>> polys = new ArrayList<>();
        for (JsonNode poly : areas) {
            if (!poly.isArray()) {
                throw new ConfigException(where + ": each area must be an array of {left, top} points");
            }
            List<Geometry.P> pts = new ArrayList<>();
            for (JsonNode p : poly) {
                if (!p.path("left").isNumber() || !p.path("top").isNumber()) {
                    throw new ConfigException(where + ": area point " + p + " needs numeric \"left\" and \"top\"");
                }
                pts.add(new Geometry.P(p.get("left").asDouble(), p.get("top").asDouble()));
            }
            polys.add(List.copyOf(pts));
        }
        JsonNode classes = f.get("classes");
        if (classes == null || !classes.isArray()) {
            throw new ConfigException(where + ": \"classes\" must be an array of class ids");
        }
        Set<Integer> cls = new HashSet<>();
        for (JsonNode c : classes) {
            if (!c.isInt()) {
                throw new ConfigException(where + ": class id " + c + " is not an integer");
            }
            cls.add(c.asInt());
        }
        JsonNode times = f.get("times");
        if (times == null || !times.isArray()) {
            throw new ConfigException(where + ": \"times\" must be an array of {time_start, time_end}");
        }
        List<int[]> spans = new ArrayList<>();
        for (JsonNode t : times) {
            spans.add(new int[] {
                seconds(t.path("time_start").asText(null), where),
                seconds(t.path("time_end").asText(null), where)
            });
        }
        JsonNode type = f.get("type");
        if (type == null || !type.isInt()) {
            throw new ConfigException(where + ": \"type\" must be an integer");
        }
        int[] direction = null;
        JsonNode dir = f.get("direction");
        if (dir != null && dir.isArray()) {
            if (dir.size() != 2 || !dir.get(0).isNumber() || !dir.get(1).isNumber()) {
                throw new ConfigException(where + ": \"direction\" must be [x, y]");
            }
            direction = new int[] {dir.get(0).asInt(), dir.get(1).asInt()};
            if (direction[0] == 0 && direction[1] == 0) {
                direction = null;
            }
        }
        int interval = Math.max(1, f.path("trajectory_interval").asInt(5));
        return new FilterRule(
                first,
                skip,
                List.copyOf(polys),
                Set.copyOf(cls),
                List.copyOf(spans),
                type.asInt(),
                direction,
                interval);
    }

    /** "hh mm ss" (the documented form) or "hh:mm:ss". */
    private static int seconds(String s, String where) throws ConfigException {
        if (s == null) {
            throw new ConfigException(where + ": times need \"time_start\" and \"time_end\" strings");
        }
        String[] parts = s.trim().split("[ :]+");
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            int h = Integer.parseInt(parts[0]), m = Integer.parseInt(parts[1]), sec = Integer.parseInt(parts[2]);
            if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) {
                throw new NumberFormatException();
            }
            return h * 3600 + m * 60 + sec;
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": time \"" + s + "\" is not \"hh mm ss\"");
        }
    }
}
