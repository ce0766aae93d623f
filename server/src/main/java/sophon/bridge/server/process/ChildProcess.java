package sophon.bridge.server.process;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.environment.EnvironmentUtils;

/**
 * One running child started through Commons Exec. Its output is pumped into a {@link BoundedLog};
 * when it ends, the exit callback gets its exit code (128+signal when killed by a signal) after
 * the log has been written completely, so a tail read in the callback shows its last words.
 *
 * <p>Each child runs in a session of its own ({@code setsid}, which execs in place: the pid we
 * record is the program's). Ctrl-C in a terminal signals the whole foreground process group; a
 * child in the server's group would stop at the same moment as the server and its exit could be
 * taken for a failure or an end of input. In its own session only the server hears the terminal,
 * and stops its children in order.
 */
public final class ChildProcess implements Child {
    /** util-linux's setsid, on every Debian/Ubuntu box; without it children share the server's group. */
    private static final String SETSID = findSetsid();

    private final ChildSpec spec;
    private final Process process;
    private final Instant startedAt;
    private final CompletableFuture<Integer> exit;

    private ChildProcess(ChildSpec spec, Process process, CompletableFuture<Integer> exit) {
        this.spec = spec;
        this.process = process;
        this.startedAt = Instant.now();
        this.exit = exit;
    }

    /** Starts the child; {@code onExit} runs once, on a Commons Exec thread, with the exit code. */
    public static ChildProcess start(ChildSpec spec, long logCap, IntConsumer onExit) throws IOException {
        BoundedLog log = new BoundedLog(spec.logFile(), logCap);
        CompletableFuture<Process> launched = new CompletableFuture<>();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        CapturingExecutor executor = new CapturingExecutor(launched);
        executor.setWorkingDirectory(spec.workDir().toFile());
        executor.setExitValues(null); // every exit code is an answer, not an exception
        MaskingLines out = new MaskingLines(log);
        MaskingLines err = new MaskingLines(log);
        PumpStreamHandler pumps = new PumpStreamHandler(out, err);
        // A grandchild holding the pipe must not keep us from noticing the exit.
        pumps.setStopTimeout(Duration.ofSeconds(2));
        executor.setStreamHandler(pumps);

        String program = spec.command().get(0);
        if (program.contains("/") && !new File(program).canExecute()) {
            // Through setsid a missing program would be an exit code 1; say it at the start instead.
            throw new IOException("cannot start " + program + ": no such executable file");
        }
        java.util.List<String> command = new java.util.ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID);
        }
        command.addAll(spec.command());
        CommandLine line = new CommandLine(command.get(0));
        for (String arg : command.subList(1, command.size())) {
            line.addArgument(arg, false);
        }
        Map<String, String> env = new HashMap<>(EnvironmentUtils.getProcEnvironment());
        env.putAll(spec.extraEnv());

        ExecuteResultHandler handler = new ExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                finish(exitValue);
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                Process p = launched.getNow(null);
                if (p == null) {
                    launched.completeExceptionally(e);
                    finish(-1);
                } else {
                    try {
                        finish(p.waitFor());
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        finish(-1);
                    }
                }
            }

            private void finish(int code) {
                try {
                    out.close(); // flushes a last line without a newline
                    err.close();
                    log.note("--- " + spec.name() + " exited with code " + code + " at " + Instant.now());
                    log.close();
                } catch (IOException ignored) {
                    // The exit matters more than closing the log.
                }
                if (exit.complete(code)) {
                    onExit.accept(code);
                }
            }
        };
        log.note("--- starting " + spec.name() + " at " + Instant.now());
        executor.execute(line, env, handler);
        try {
            Process process = launched.get(30, TimeUnit.SECONDS);
            return new ChildProcess(spec, process, exit);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot start " + spec.command().get(0) + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("starting " + spec.command().get(0) + " took longer than 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + spec.command().get(0), e);
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** The process's own CPU time ({@code /proc/<pid>/stat}); a stream program that forks is not summed. */
    @Override
    public Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    private static String findSetsid() {
        for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    public ChildSpec spec() {
        return spec;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the child is gone. */
    @Override
    public void stop(Duration grace) {
        Stopper.stop(process.toHandle(), grace);
        try {
            exit.get(5, TimeUnit.SECONDS); // let the exit callback and the log pumps finish
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // The process is dead; a slow pump thread is not worth waiting for.
        }
    }

    /** Commons Exec keeps the {@link Process} to itself; this hands it out for pid and signals. */
    private static final class CapturingExecutor extends DefaultExecutor {
        private final CompletableFuture<Process> launched;

        CapturingExecutor(CompletableFuture<Process> launched) {
            this.launched = launched;
        }

        @Override
        protected Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
            try {
                Process p = super.launch(command, env, dir);
                launched.complete(p);
                return p;
            } catch (IOException | RuntimeException e) {
                launched.completeExceptionally(e);
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return spec.name() + "(pid " + process.pid() + ", " + spec.command().get(0) + ")";
    }
}
