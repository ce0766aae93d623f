package sophon.bridge.server.disk;

/**
 * The disk every business-logic outbox may take together, and each entry's fixed share of it
 * ({@code budget / max-tasks}). A fixed share needs no re-split when tasks come and go: a running
 * child never has its bound lowered under it, and a full box still stays within the budget.
 * Without one, 16 entries behind a dead receiver could each grow to 2 GB and fill the disk.
 */
public record OutboxBudget(long budgetBytes, long shareBytes) {
    private static final long MB = 1024L * 1024;
    /** What one entry got before there was a budget; more per entry is not needed on a box. */
    static final long MAX_SHARE_BYTES = 2048 * MB;
    /** business-logic refuses a smaller {@code --outbox-disk-bytes}: an empty SQLite file and its WAL. */
    static final long MIN_SHARE_BYTES = MB;

    /**
     * {@code budgetMb} as given, or (0) half the free space at start, at most {@link #MAX_SHARE_BYTES}
     * per entry: the other half is for the task database, logs and whatever else the box stores.
     */
    public static OutboxBudget of(long budgetMb, long freeBytes, int maxEntries) {
        long budget = budgetMb > 0 ? budgetMb * MB : Math.min(freeBytes / 2, MAX_SHARE_BYTES * maxEntries);
        return new OutboxBudget(budget, Math.max(MIN_SHARE_BYTES, budget / Math.max(1, maxEntries)));
    }

    public long shareMb() {
        return shareBytes / MB;
    }

    public long budgetMb() {
        return budgetBytes / MB;
    }
}
