package sophon.bridge.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStoreTest {
    @TempDir
    Path dir;

    private static StoredEntry entry(String id, int idx, int blPort) {
        return new StoredEntry(
                id,
                idx,
                1,
                "tripwire",
                "/data/tasks/" + id + "/" + idx + "-tripwire",
                "config/tripwire_demo.json",
                blPort,
                blPort + 1000,
                0,
                0,
                "starting",
                0,
                null);
    }

    @Test
    void tasksSurviveReopeningTheFile() {
        Path db = dir.resolve("tasks.db");
        try (TaskStore store = new TaskStore(db)) {
            store.insert(new StoredTask(
                    "1001", "{\"TaskID\":\"1001\"}", 5, List.of(entry("1001", 0, 10001), entry("1001", 1, 10002))));
            store.insert(new StoredTask("摄像头-2", "{\"TaskID\":\"摄像头-2\"}", 6, List.of(entry("摄像头-2", 0, 10003))));
            store.updatePids("1001", 1, 4242, 4343);
            store.updateState("1001", 1, "restarting", 2, "stream exited with code 1");
        }
        try (TaskStore store = new TaskStore(db)) {
            List<StoredTask> all = store.all();
            assertEquals(
                    List.of("1001", "摄像头-2"),
                    all.stream().map(StoredTask::taskId).toList());
            StoredTask t = all.get(0);
            assertEquals("{\"TaskID\":\"1001\"}", t.request());
            assertEquals(2, t.entries().size());
            StoredEntry e = t.entries().get(1);
            assertEquals(4242, e.businessLogicPid());
            assertEquals(4343, e.streamPid());
            assertEquals("restarting", e.state());
            assertEquals(2, e.restarts());
            assertEquals("stream exited with code 1", e.lastError());
            assertEquals(10002, e.businessLogicPort());
            assertEquals(11002, e.streamPort());
        }
    }

    @Test
    void insertReplacesAndDeleteRemovesEntriesToo() {
        try (TaskStore store = new TaskStore(dir.resolve("tasks.db"))) {
            store.insert(new StoredTask("a", "{}", 1, List.of(entry("a", 0, 10001), entry("a", 1, 10002))));
            store.insert(new StoredTask("a", "{\"v\":2}", 2, List.of(entry("a", 0, 10005))));
            StoredTask t = store.all().get(0);
            assertEquals("{\"v\":2}", t.request());
            assertEquals(1, t.entries().size());
            assertEquals(10005, t.entries().get(0).businessLogicPort());
            store.delete("a");
            assertTrue(store.all().isEmpty());
        }
    }
}
