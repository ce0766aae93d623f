package sophon.bridge.streamconfig;

import java.util.List;

/**
 * What differs between algorithms when a task is filled into a config set: the filter's
 * {@code type} (0 recognition, 1 track / line crossing, 2 class+area), the class ids kept
 * when the task does not name any, and whether the task may name them ({@code Extend.Classes}).
 */
public record FillProfile(int filterType, List<Integer> classes, boolean classesFromTask) {
    public FillProfile {
        classes = List.copyOf(classes);
    }

    public FillProfile(int filterType, List<Integer> classes) {
        this(filterType, classes, false);
    }

    public static FillProfile lineCrossing(List<Integer> classes) {
        return new FillProfile(1, classes);
    }

    /** Recognition without class ids: only for graphs without a filter element. */
    public static FillProfile recognition() {
        return new FillProfile(0, List.of());
    }

    /** Recognition (licence plates): the filter keys on the recognised text of these classes. */
    public static FillProfile recognition(List<Integer> classes) {
        return new FillProfile(0, classes);
    }

    public static FillProfile classInArea(List<Integer> classes) {
        return new FillProfile(2, classes);
    }

    /** The same profile, letting a task's {@code Extend.Classes} replace the default classes. */
    public FillProfile withTaskClasses() {
        return new FillProfile(filterType, classes, true);
    }
}
