package sophon.bridge.server.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sophon.bridge.server.AppHome;
import sophon.bridge.server.process.ChildSignature;
import sophon.bridge.server.process.ChildSpec;

/** The two command lines of an algorithm entry, as argument lists. */
public final class ChildCommands {
    private final Path java;
    private final Path businessLogicJar;
    private final List<String> businessLogicFlags;
    private final StreamEngine engine;
    private final ClassDataArchive classArchive;
    private final long outboxShareBytes;

    /**
     * {@code archiveDir}: where the business-logic class archive is kept ({@code <data-dir>/cds});
     * {@code outboxShareBytes}: the disk each business-logic outbox may take ({@code OutboxBudget}).
     */
    public ChildCommands(Path appHome, Path java, StreamEngine engine, Path archiveDir, long outboxShareBytes) {
        this(appHome, java, engine, archiveDir, outboxShareBytes, List.of());
    }

    /** {@code extraFlags}: JVM flags business logic gets after its jvm.options (e.g. {@link SqliteNativeLibrary}). */
    public ChildCommands(
            Path appHome,
            Path java,
            StreamEngine engine,
            Path archiveDir,
            long outboxShareBytes,
            List<String> extraFlags) {
        this.outboxShareBytes = outboxShareBytes;
        this.java = java;
        this.businessLogicJar = AppHome.moduleJar(appHome, "business-logic");
        List<String> flags = new ArrayList<>(
                JvmOptions.forChild(appHome.resolve("business-logic/jvm.options"), JvmOptions.SMALL_CHILD));
        flags.addAll(extraFlags);
        this.businessLogicFlags = List.copyOf(flags);
        this.engine = engine;
        this.classArchive = new ClassDataArchive(archiveDir, businessLogicJar, businessLogicFlags);
    }

    public ClassDataArchive classArchive() {
        return classArchive;
    }

    public Path businessLogicJar() {
        return businessLogicJar;
    }

    public StreamEngine engine() {
        return engine;
    }

    public ChildSpec businessLogic(EntryPlan plan) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(businessLogicFlags);
        cmd.addAll(classArchive.childFlags());
        cmd.add("-jar");
        cmd.add(businessLogicJar.toString());
        cmd.add("--host=127.0.0.1");
        cmd.add("--port=" + plan.businessLogicPort());
        cmd.add("--task=" + plan.taskJson());
        cmd.add("--algorithm-index=" + plan.index());
        cmd.add("--outbox-disk-bytes=" + outboxShareBytes);
        String workDirArg = workDirArg(plan.algorithmDir());
        cmd.add(workDirArg);
        return new ChildSpec(
                "business-logic",
                cmd,
                FileNameCharset.childLocale(System.getenv()),
                plan.algorithmDir(),
                plan.algorithmDir().resolve(EntryPlan.BUSINESS_LOGIC_LOG),
                businessLogicSignature(plan));
    }

    public ChildSpec stream(EntryPlan plan) {
        List<String> cmd = new ArrayList<>(engine.commandPrefix());
        cmd.add(demoArg(plan.demoConfig()));
        return new ChildSpec(
                "stream",
                cmd,
                engine.env(),
                plan.algorithmDir(),
                plan.algorithmDir().resolve(EntryPlan.STREAM_LOG),
                streamSignature(plan));
    }

    public static ChildSignature businessLogicSignature(EntryPlan plan) {
        return new ChildSignature(workDirArg(plan.algorithmDir()), plan.algorithmDir());
    }

    public static ChildSignature streamSignature(EntryPlan plan) {
        return new ChildSignature(demoArg(plan.demoConfig()), plan.algorithmDir());
    }

    private static String workDirArg(Path dir) {
        return "--work-dir=" + dir;
    }

    private static String demoArg(String demoConfig) {
        return "--demo_config_path=" + demoConfig;
    }
}
