package sophon.bridge.server.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskSlotsTest {
    /** TaskID → active entries, as the manager's map would show them. */
    private final Map<String, Integer> running = new ConcurrentHashMap<>();

    private final TaskSlots slots = new TaskSlots(3, () -> Map.copyOf(running));

    @Test
    void aCreateThatDoesNotFitIsRefusedWithTheFreeCount() throws Exception {
        running.put("a", 2);
        TaskException e = assertThrows(TaskException.class, () -> slots.reserve("b", 2));
        assertEquals(Failure.CAPACITY, e.failure());
        assertEquals(
                "This task needs 2 algorithm entries and the box has 1 free of 3 (--max-tasks=3).", e.getMessage());
        slots.reserve("b", 1); // exactly at the limit
        assertEquals(3, slots.inUse());
    }

    @Test
    void theTaskBeingReplacedDoesNotCountAgainstItsOwnCreate() throws Exception {
        running.put("a", 3);
        slots.reserve("a", 3);
        assertThrows(TaskException.class, () -> slots.reserve("b", 1));
    }

    @Test
    void aTaskJustPutInTheMapIsNotCountedTwiceWhileItsReservationIsHeld() throws Exception {
        slots.reserve("a", 2);
        running.put("a", 2); // the manager puts the task before it releases the reservation
        assertEquals(2, slots.inUse());
        slots.reserve("b", 1);
        slots.release("a");
        slots.release("b");
        assertEquals(2, slots.inUse());
    }

    @Test
    void aReleasedReservationOfAFailedCreateFreesItsSlots() throws Exception {
        slots.reserve("a", 3);
        assertThrows(TaskException.class, () -> slots.reserve("b", 1));
        slots.release("a");
        slots.reserve("b", 3);
    }

    @Test
    void concurrentCreatesCannotRacePastTheLimit() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String id = "t" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        slots.reserve(id, 1);
                        return true;
                    } catch (TaskException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int granted = 0;
            for (Future<Boolean> r : results) {
                granted += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(3, granted);
            assertEquals(3, slots.inUse());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void atLeastOneSlot() {
        assertThrows(IllegalArgumentException.class, () -> new TaskSlots(0, Map::of));
    }
}
