package sophon.bridge.server.store;

import java.util.List;

/** A task as persisted: the original create request (JSON text) and its entries. */
public record StoredTask(String taskId, String request, long createdAt, List<StoredEntry> entries) {
    public StoredTask {
        entries = List.copyOf(entries);
    }
}
