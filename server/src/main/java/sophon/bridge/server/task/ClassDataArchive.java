package sophon.bridge.server.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.files.FileTrees;
import sophon.bridge.server.process.ChildProcess;
import sophon.bridge.server.process.ChildSignature;
import sophon.bridge.server.process.ChildSpec;
import sophon.bridge.server.process.PortAllocator;

/**
 * An AppCDS archive of the business-logic JVM's classes. Every algorithm entry starts one such
 * JVM, and on a 2-core box class loading is most of its start-up: with the archive a start costs
 * about 40 % less CPU, which is what create latency and recovery time are made of. And the
 * archive's classes are shared by every child, where a class loaded from the jar is parsed into
 * each one's own metaspace: so the archive is made by a training run that takes the whole path
 * of frames and alarms (business logic's {@code --training=true}), not only start-up. It is made
 * once per jar version and reused by every later start; until it exists, children simply start
 * without it. A JVM that cannot use it ignores it.
 */
public final class ClassDataArchive {
    private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
    public static final String TRAINING_DIR = "training";
    // A training run takes 2-5 s on a 2-core machine; a box busy with 16 tasks' video may be slower.
    private static final Duration TRAINING_LIMIT = Duration.ofSeconds(120);

    private final Path dir;
    private final Path archive;
    private volatile ChildProcess training;
    private volatile boolean cancelled;

    public ClassDataArchive(Path dir, Path jar, List<String> flags) {
        this.dir = dir.toAbsolutePath().normalize();
        this.archive = this.dir.resolve("business-logic-" + key(jar, flags) + ".jsa");
    }

    /** The flag for a child: use the archive if it exists. */
    public List<String> childFlags() {
        return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    }

    public boolean ready() {
        return Files.isRegularFile(archive);
    }

    public Path trainingDir() {
        return dir.resolve(TRAINING_DIR);
    }

    /**
     * Makes the archive if it is missing; blocks for one business-logic training run (a few
     * seconds). The child is started with {@code --training=true}: it walks the whole frame and
     * alarm path on its own and exits, and the JVM writes the archive as it exits.
     */
    public void trainIfMissing(ChildCommands commands, PortAllocator ports, int type) {
        if (cancelled || Files.isRegularFile(archive) || !Files.isRegularFile(commands.businessLogicJar())) {
            return;
        }
        Path work = trainingDir();
        Path partial = dir.resolve(archive.getFileName() + ".partial");
        int port = ports.allocate();
        try {
            FileTrees.delete(work); // an earlier run's outbox would be sent again
            Files.createDirectories(work);
            Files.deleteIfExists(partial);
            Path task = work.resolve("task.json");
            Files.writeString(task, """
                    {"TaskID":"cds-training","InputSrc":{"SrcID":"training","StreamSrc":{"Address":"rtsp://127.0.0.1/training"}},
                     "Algorithm":[{"Type":%d}],"Reporting":{"ReportUrlList":["http://127.0.0.1:9/none"]}}
                    """.formatted(type), StandardCharsets.UTF_8);
            EntryPlan plan = new EntryPlan("cds-training", 0, type, "training", work, task, "", port, 0);
            ChildSpec base = commands.businessLogic(plan);
            List<String> cmd = new ArrayList<>(base.command());
            cmd.removeIf(a -> a.startsWith("-XX:SharedArchiveFile="));
            cmd.add(1, "-XX:ArchiveClassesAtExit=" + partial);
            cmd.add("--training=true");
            ChildSpec spec = new ChildSpec(
                    "business-logic (class archive training)",
                    cmd,
                    base.extraEnv(),
                    work,
                    work.resolve("training.log"),
                    new ChildSignature(base.signature().markerArg(), work));
            long t0 = System.nanoTime();
            ChildProcess child = ChildProcess.start(spec, 1024 * 1024, code -> {});
            training = child;
            Integer exit = null;
            if (!cancelled) {
                try {
                    exit = child.exit().get(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    log.warn("business-logic class archive training still running after {}; stopped", TRAINING_LIMIT);
                } catch (ExecutionException e) {
                    log.warn(
                            "business-logic class archive training: {}",
                            e.getCause().toString());
                }
            }
            child.stop(Duration.ofSeconds(5));
            training = null;
            if (!cancelled && exit != null && exit == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                removeOtherArchives();
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log.info(
                        "business-logic class archive made in {} ms: {}",
                        (System.nanoTime() - t0) / 1_000_000,
                        archive);
            } else {
                Files.deleteIfExists(partial);
                log.warn(
                        "business-logic class archive not made (training exit {}, see {}); children start without it",
                        exit,
                        work.resolve("training.log"));
            }
        } catch (IOException e) {
            log.warn("business-logic class archive not made: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ports.release(port);
        }
    }

    /** Server shutdown: a training run in progress is stopped and leaves no archive. */
    public void cancel() {
        cancelled = true;
        ChildProcess child = training;
        if (child != null) {
            child.stop(Duration.ofSeconds(5));
        }
    }

    /** Archives of earlier jar versions: nothing will use them again. */
    private void removeOtherArchives() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("business-logic-") && name.endsWith(".jsa") && !f.equals(archive)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Changes with the jar, the flags and the JVM, so a stale archive is never offered. */
    private static String key(Path jar, List<String> flags) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(jar.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            if (Files.isRegularFile(jar)) {
                md.update(Long.toString(Files.size(jar)).getBytes(StandardCharsets.UTF_8));
                md.update(
                        Long.toString(Files.getLastModifiedTime(jar).toMillis()).getBytes(StandardCharsets.UTF_8));
            }
            md.update(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            md.update(System.getProperty("java.vm.version", "").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            return "nokey";
        }
    }
}
