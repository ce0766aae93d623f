package sophon.bridge.streamconfig;

import java.util.List;

/**
 * What differs between algorithms when a task is filled into a config set: the filter's
 * {@code type} (0 recognition, 1 track / line crossing, 2 class+area), the class ids kept
 * when the task does not name any, whether the task may name them ({@code Extend.Classes}),
 * and who applies TrackInterval/AlarmInterval.
 *
 * @param cadenceInFilter true: the filter's {@code alert_first_frame}/{@code alert_frame_skip_nums}
 *                        are TrackInterval/AlarmInterval, so for types 0 and 1 only the frames
 *                        due for an alert leave the graph (sophon-stream's own behaviour); false:
 *                        they are 0/1, the filter forwards every matching frame and the
 *                        business-logic process applies both intervals itself
 */
public record FillProfile(int filterType, List<Integer> classes, boolean classesFromTask, boolean cadenceInFilter) {
    public FillProfile {
        classes = List.copyOf(classes);
    }

    public FillProfile(int filterType, List<Integer> classes) {
        this(filterType, classes, false, true);
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
        return new FillProfile(filterType, classes, true, cadenceInFilter);
    }

    /** The same profile with the filter forwarding every matching frame (see {@link #cadenceInFilter}). */
    public FillProfile withCadenceInBusinessLogic() {
        return new FillProfile(filterType, classes, classesFromTask, false);
    }
}
