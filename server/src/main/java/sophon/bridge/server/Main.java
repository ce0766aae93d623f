package sophon.bridge.server;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: options, logging location, the wired server, and a SIGTERM hook that keeps tasks. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
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
        System.setProperty("sophon.bridge.logdir", lock.dataDir().resolve("logs").toString());
        Logger log = LoggerFactory.getLogger(Main.class);
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
