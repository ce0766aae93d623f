package sophon.bridge.server;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.server.task.FileNameCharset;

/** Entry point: a relaunch under a UTF-8 locale if needed ({@link Utf8Relaunch}), options, logging location, the wired server, and a SIGTERM hook that keeps tasks. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Optional<Integer> relaunched = Utf8Relaunch.ifNeeded();
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
            return;
        }
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sophon-bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(ServerOptions.USAGE);
            return;
        }
        // Before anything is logged or touched: a second server on this data dir changes nothing.
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(options.dataDir());
        } catch (java.io.IOException e) {
            System.err.println("sophon-bridge: " + e.getMessage());
            System.exit(e instanceof DataDirLock.InUseException ? 3 : 1);
            return;
        }
        // Before the first logger exists: logback.xml writes to <data-dir>/logs.
        System.setProperty(
                "sophon.bridge.logdir", lock.dataDir().resolve("logs").toString());
        LogTarget.choose(System.getenv());
        Logger log = LoggerFactory.getLogger(Main.class);
        if (!FileNameCharset.utf8()) {
            log.warn(
                    "file names are {}, not UTF-8 (locale LC_ALL={} LANG={}): TaskIDs other than ASCII are refused and "
                            + "stored ones wait for a start under a UTF-8 locale (LC_ALL=C.UTF-8; start.sh sets it)",
                    FileNameCharset.name(),
                    System.getenv("LC_ALL"),
                    System.getenv("LANG"));
        }
        Utf8Relaunch.followLauncher();
        Path home = AppHome.find();
        try {
            BridgeServer server = BridgeServer.start(options, home, lock);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage(), e);
            System.err.println("sophon-bridge: cannot start: " + e.getMessage());
            System.exit(1);
        }
    }
}
