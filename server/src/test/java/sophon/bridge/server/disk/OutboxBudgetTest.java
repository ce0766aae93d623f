package sophon.bridge.server.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sophon.bridge.server.ServerOptions;

class OutboxBudgetTest {
    private static final long MB = 1024L * 1024;
    private static final long GB = 1024 * MB;

    @Test
    void defaultIsHalfTheFreeSpaceAtMost2GbPerEntrySplitEvenly() {
        assertEquals(new OutboxBudget(5 * GB, 5 * GB / 4), OutboxBudget.of(0, 10 * GB, 4));
        assertEquals(new OutboxBudget(8 * GB, 2 * GB), OutboxBudget.of(0, 1024 * GB, 4));
        assertEquals(new OutboxBudget(100 * MB, 25 * MB), OutboxBudget.of(100, 1024 * GB, 4));
        assertEquals(MB, OutboxBudget.of(1, 0, 16).shareBytes()); // business logic's smallest
    }

    @Test
    void optionsFromTheCommandLineOrTheEnvironment() {
        assertEquals(
                100,
                ServerOptions.parse(new String[] {"--outbox-budget-mb=100"}, Map.of())
                        .outboxBudgetMb());
        assertEquals(
                7,
                ServerOptions.parse(new String[0], Map.of("SOPHON_BRIDGE_OUTBOX_BUDGET_MB", "7"))
                        .outboxBudgetMb());
        assertEquals(
                ServerOptions.FROM_FREE_SPACE,
                ServerOptions.parse(new String[0], Map.of()).outboxBudgetMb());
        assertEquals(256, ServerOptions.parse(new String[0], Map.of()).minFreeDiskMb());
        assertEquals(
                0,
                ServerOptions.parse(new String[] {"--min-free-disk-mb", "0"}, Map.of())
                        .minFreeDiskMb());
    }
}
