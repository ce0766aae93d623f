package sophon.bridge.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import sophon.bridge.server.task.FileNameCharset;

/**
 * Runs the server again under a UTF-8 locale when this JVM was started under another one
 * ({@code LANG=C}, or no locale at all, as a systemd unit or a minimal box gives). Java reads the
 * encoding of file names, arguments and environment from the locale once, at start, so a JVM that
 * began with ASCII can never create a CJK task's folder nor pass its path to a child; the only
 * remedy is a new JVM. This one stays as a thin launcher: it forwards SIGTERM/Ctrl-C to the
 * server and exits with its exit code, so a systemd unit or a shell sees one program.
 */
final class Utf8Relaunch {
    /** Set in the relaunched server: the launcher's pid; also stops a second relaunch. */
    static final String MARKER = "SOPHON_BRIDGE_RELAUNCHED_BY";
    /** Set to {@code off} to keep the JVM as it was started (the server then refuses non-ASCII TaskIDs). */
    static final String SWITCH = "SOPHON_BRIDGE_UTF8_RELAUNCH";

    private static final long SERVER_STOP_WAIT_S = 120;

    private Utf8Relaunch() {}

    /**
     * Relaunches and returns the server's exit code, or empty when this JVM should serve itself:
     * its file names are UTF-8 already, it is the relaunched one, relaunching is switched off, or
     * it cannot be done faithfully (then the reason goes to stderr).
     */
    static Optional<Integer> ifNeeded() {
        if (FileNameCharset.utf8() || System.getenv(MARKER) != null || "off".equals(System.getenv(SWITCH))) {
            return Optional.empty();
        }
        Optional<List<String>> argv = asciiCommandLine();
        if (argv.isEmpty()) {
            warn("the command line holds non-ASCII characters that this locale cannot pass on; not relaunching");
            return Optional.empty();
        }
        Optional<String> locale = utf8Locale();
        if (locale.isEmpty()) {
            warn("no UTF-8 locale found (locale -a); not relaunching");
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>(argv.get());
        cmd.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("LC_ALL", locale.get());
        pb.environment().put(MARKER, Long.toString(ProcessHandle.current().pid()));
        Process server;
        try {
            server = pb.start();
        } catch (IOException e) {
            warn("cannot relaunch (" + e.getMessage() + ")");
            return Optional.empty();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "stop-relaunched-server"));
        while (true) {
            try {
                return Optional.of(server.waitFor());
            } catch (InterruptedException e) {
                // Only a shutdown ends this wait; the hook stops the server then.
            }
        }
    }

    /** In the relaunched server: its launcher died (kill -9), so take the SIGTERM path too. */
    static void followLauncher() {
        String launcher = System.getenv(MARKER);
        if (launcher == null) {
            return;
        }
        ProcessHandle.current()
                .parent()
                .filter(p -> Long.toString(p.pid()).equals(launcher))
                .ifPresent(p -> p.onExit().thenRun(() -> System.exit(143)));
    }

    private static void stop(Process server) {
        if (!server.isAlive()) {
            return;
        }
        server.destroy();
        try {
            server.waitFor(SERVER_STOP_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This JVM's own argv, byte for byte, when it is all ASCII (anything else was already mangled). */
    private static Optional<List<String>> asciiCommandLine() {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        for (byte b : raw) {
            if (b < 0) {
                return Optional.empty();
            }
        }
        int end = raw.length > 0 && raw[raw.length - 1] == 0 ? raw.length - 1 : raw.length;
        List<String> args = List.of(new String(raw, 0, end, StandardCharsets.US_ASCII).split("\0", -1));
        return args.isEmpty() || args.get(0).isEmpty() ? Optional.empty() : Optional.of(args);
    }

    /** C.UTF-8 if the box has it, else the first other UTF-8 locale {@code locale -a} lists. */
    static Optional<String> utf8Locale() {
        List<String> all = new ArrayList<>();
        try {
            Process p =
                    new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor(10, TimeUnit.SECONDS);
            all.addAll(List.of(out.split("\\s+")));
        } catch (IOException e) {
            // No locale program (a minimal image): glibc 2.35+ and musl know C.UTF-8 built in.
            return Optional.of("C.UTF-8");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Optional<String> c = all.stream()
                .filter(l -> l.equalsIgnoreCase("C.UTF-8") || l.equalsIgnoreCase("C.utf8"))
                .findFirst();
        return c.isPresent()
                ? c
                : all.stream()
                        .filter(l -> l.toLowerCase(Locale.ROOT).matches(".+\\.utf-?8(@.*)?"))
                        .findFirst();
    }

    private static void warn(String why) {
        System.err.println(
                "sophon-bridge: file names are " + FileNameCharset.name() + ", not UTF-8, and " + why
                        + ": TaskIDs other than ASCII will be refused. Start under a UTF-8 locale (LC_ALL=C.UTF-8; start.sh does).");
    }
}
