package sophon.bridge.streamconfig;

import java.util.List;

/**
 * What differs between algorithms when a task is filled into a config set: the filter's
 * {@code type} (0 recognition, 1 track / line crossing, 2 class+area) and the class ids kept
 * when the task does not name any.
 */
public record FillProfile(int filterType, List<Integer> classes) {
    public static FillProfile lineCrossing(List<Integer> classes) {
        return new FillProfile(1, List.copyOf(classes));
    }

    public static FillProfile recognition() {
        return new FillProfile(0, List.of());
    }

    public static FillProfile classInArea(List<Integer> classes) {
        return new FillProfile(2, List.copyOf(classes));
    }
}
