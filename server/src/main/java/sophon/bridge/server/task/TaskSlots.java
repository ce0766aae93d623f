package sophon.bridge.server.task;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How many algorithm entries may run on this box at once ({@code --max-tasks}). Each entry is one
 * business-logic JVM and one stream process, so entries, not tasks, are what fill the memory.
 * A create reserves its entries before it writes anything and holds the reservation until its
 * task is in the manager's map; two creates racing for the last slot cannot both get it.
 */
public final class TaskSlots {
    private final int max;
    private final Supplier<Map<String, Integer>> activeEntriesByTask;
    /** TaskID → entries of a create in progress; the manager lets only one operation per TaskID run. */
    private final Map<String, Integer> reserved = new HashMap<>();

    public TaskSlots(int max, Supplier<Map<String, Integer>> activeEntriesByTask) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        this.max = max;
        this.activeEntriesByTask = activeEntriesByTask;
    }

    /** Slots over the manager's tasks: an entry holds a slot while its state is active (retrying included). */
    static TaskSlots over(int max, Map<String, TaskRuntime> tasks) {
        return new TaskSlots(max, () -> {
            Map<String, Integer> active = new HashMap<>();
            for (TaskRuntime t : tasks.values()) {
                active.put(t.taskId(), (int)
                        t.entries().stream().filter(e -> e.state().active()).count());
            }
            return active;
        });
    }

    public int max() {
        return max;
    }

    /** Entries running or reserved now. */
    public synchronized int inUse() {
        return used(null);
    }

    /**
     * Reserves {@code entries} slots for a create of {@code taskId}, or refuses with
     * {@link Failure#CAPACITY}. The task being replaced (same TaskID) does not count: it is stopped.
     */
    public synchronized void reserve(String taskId, int entries) throws TaskException {
        int used = used(taskId);
        if (used + entries > max) {
            throw new TaskException(
                    Failure.CAPACITY,
                    "This task needs " + entries + " algorithm "
                            + (entries == 1 ? "entry" : "entries") + " and the box has " + Math.max(0, max - used)
                            + " free of " + max + " (--max-tasks=" + max + ").");
        }
        reserved.put(taskId, entries);
    }

    /** Ends a reservation (after the task is in the manager's map, or after the create failed); no-op without one. */
    public synchronized void release(String taskId) {
        reserved.remove(taskId);
    }

    /** A reserved TaskID counts by its reservation, so a task just put in the map is not counted twice. */
    private int used(String except) {
        int used = 0;
        for (Map.Entry<String, Integer> e : activeEntriesByTask.get().entrySet()) {
            if (!e.getKey().equals(except) && !reserved.containsKey(e.getKey())) {
                used += e.getValue();
            }
        }
        for (Map.Entry<String, Integer> e : reserved.entrySet()) {
            if (!e.getKey().equals(except)) {
                used += e.getValue();
            }
        }
        return used;
    }
}
