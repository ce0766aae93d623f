package sophon.bridge.server.store;

/**
 * One algorithm entry of a task as persisted: where it lives, its ports, its state and the pids of
 * its children (0 when none), so a restarted server can find and stop what a killed one left.
 */
public record StoredEntry(
        String taskId,
        int index,
        int type,
        String algorithm,
        String algorithmDir,
        String demoConfig,
        int businessLogicPort,
        int streamPort,
        long businessLogicPid,
        long streamPid,
        String state,
        int restarts,
        String lastError) {}
