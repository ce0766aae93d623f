package sophon.bridge.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A task's {@code Extend.Classes}, parsed once for the config builder ({@code StandardFill}, which
 * turns it into the filter's class ids) and for business logic ({@code alert.ObjectFilter}, which
 * matches detections against it). Absent or null = the task names none. Anything else must be a
 * non-empty list of ids in 0..{@value #MAX_CLASS_ID} or non-blank names; a name stands for the
 * class of that name in the detector's class-names file (which is also what a detection's label
 * is), compared without regard to case or surrounding blanks ({@link #sameName}).
 *
 * @param entries the task's classes in its order, each an id or a name
 */
public record TaskClasses(List<Entry> entries) {
    /** Classes beyond this are not a detector's class id but a typo. */
    public static final int MAX_CLASS_ID = 9_999;

    /** One class: an id ({@code name} null) or a name ({@code id} -1). */
    public record Entry(int id, String name) {
        public boolean matches(int classId, String label) {
            return name == null ? id == classId : sameName(name, label);
        }
    }

    public TaskClasses {
        entries = List.copyOf(entries);
    }

    /**
     * The classes the task names, or empty when it names none.
     *
     * @throws IllegalArgumentException (one sentence) when {@code Extend.Classes} is malformed
     */
    public static Optional<TaskClasses> of(AlgorithmSpec algorithm) {
        JsonNode classes =
                algorithm.extend() == null ? null : algorithm.extend().get("Classes");
        if (classes == null || classes.isNull()) {
            return Optional.empty();
        }
        if (!classes.isArray() || classes.isEmpty()) {
            throw new IllegalArgumentException("Extend.Classes must be a non-empty list of class ids or names.");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode c : classes) {
            if (c.isIntegralNumber() && c.canConvertToInt() && c.asInt() >= 0 && c.asInt() <= MAX_CLASS_ID) {
                entries.add(new Entry(c.asInt(), null));
            } else if (c.isTextual() && !c.asText().isBlank()) {
                entries.add(new Entry(-1, c.asText().strip()));
            } else {
                throw new IllegalArgumentException(
                        "Extend.Classes must hold class ids between 0 and " + MAX_CLASS_ID + " or class names.");
            }
        }
        return Optional.of(new TaskClasses(entries));
    }

    /**
     * The class ids in the task's order without repeats, names looked up in {@code classNames}
     * (the detector's class-names file, index = id).
     *
     * @throws IllegalArgumentException when a name is not in {@code classNames}
     */
    public List<Integer> resolve(List<String> classNames, String detector) {
        List<Integer> ids = new ArrayList<>();
        for (Entry e : entries) {
            int id = e.name() == null ? e.id() : indexOf(classNames, e.name());
            if (id < 0) {
                throw new IllegalArgumentException(
                        "Extend.Classes names a class the " + detector + " detector does not know.");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    public boolean namesAny() {
        return entries.stream().anyMatch(e -> e.name() != null);
    }

    public boolean matches(int classId, String label) {
        for (Entry e : entries) {
            if (e.matches(classId, label)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a name from the task and a class name (class-names file, detection label) agree. */
    public static boolean sameName(String fromTask, String className) {
        return className != null && fromTask.strip().equalsIgnoreCase(className.strip());
    }

    private static int indexOf(List<String> classNames, String name) {
        for (int i = 0; i < classNames.size(); i++) {
            if (sameName(name, classNames.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
