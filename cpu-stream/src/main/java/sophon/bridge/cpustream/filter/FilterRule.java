package sophon.bridge.cpustream.filter;

import java.util.List;
import java.util.Set;

/**
 * One entry of a filter's "filters" list. type 0 = recognition (counted by label), 1 = track /
 * line crossing (counted by track id), anything else = class + area only, no counting.
 * times are [startSecondOfDay, endSecondOfDay] pairs; direction is null when not set.
 */
public record FilterRule(
        int alertFirstFrame,
        int alertFrameSkipNums,
        List<List<Geometry.P>> areas,
        Set<Integer> classes,
        List<int[]> times,
        int type,
        int[] direction,
        int trajectoryInterval) {}
