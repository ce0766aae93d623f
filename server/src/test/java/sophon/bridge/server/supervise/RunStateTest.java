package sophon.bridge.server.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A run state as application-web sees it (Status) and as the task database stores it (its label). */
class RunStateTest {
    @Test
    void everyStateButFinishedAndErrorIsStatusOne() {
        assertTrue(RunState.RETRYING.active(), "a task waiting for its camera is Status 1");
        for (RunState s : RunState.values()) {
            assertEquals(s != RunState.FINISHED && s != RunState.ERROR, s.active(), s.label());
        }
    }

    @Test
    void aStoredLabelReadsBackAsItsState() {
        for (RunState s : RunState.values()) {
            assertEquals(s, RunState.fromLabel(s.label()));
        }
    }
}
