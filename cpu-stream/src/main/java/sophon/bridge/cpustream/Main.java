package sophon.bridge.cpustream;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sophon.bridge.cpustream.config.ChannelSpec;
import sophon.bridge.cpustream.config.ConfigException;
import sophon.bridge.cpustream.config.ConfigLoader;
import sophon.bridge.cpustream.config.DemoConfig;
import sophon.bridge.cpustream.control.ControlServer;
import sophon.bridge.cpustream.control.Engine;
import sophon.bridge.cpustream.control.ErrorReporter;
import sophon.bridge.cpustream.control.HttpErrorReporter;
import sophon.bridge.cpustream.element.ElementFactory;
import sophon.bridge.cpustream.source.ChannelRunner;
import sun.misc.Signal;

/**
 * cpu-stream: sophon-stream's {@code main --demo_config_path=<file>} on the CPU.
 * Exit codes: 0 finished (finite input ended, or stopped by SIGTERM/SIGINT), 1 bad command line
 * or config (including elements without a CPU implementation), 2 a channel failed (its source
 * never came up or broke), 3 internal error.
 */
public final class Main {
    public static final int OK = 0, BAD_CONFIG = 1, CHANNEL_FAILED = 2, INTERNAL = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String demoPath = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--demo_config_path=")) {
                demoPath = a.substring("--demo_config_path=".length());
            } else if (a.equals("--demo_config_path") && i + 1 < args.length) {
                demoPath = args[++i];
            } else {
                return usage("unknown argument " + a);
            }
        }
        if (demoPath == null || demoPath.isBlank()) {
            return usage("--demo_config_path is required");
        }

        Path workDir = Path.of("").toAbsolutePath();
        DemoConfig config;
        try {
            config = new ConfigLoader(workDir).load(demoPath);
        } catch (ConfigException e) {
            return refuse("config error: " + e.getMessage(), null);
        }
        HttpErrorReporter httpReport = config.httpReport() == null ? null : new HttpErrorReporter(config.httpReport());
        ErrorReporter reporter = httpReport == null ? ErrorReporter.NONE : httpReport;
        try {
            List<String> refused = ElementFactory.unsupported(config.graphs().values());
            if (!refused.isEmpty()) {
                return refuse("cannot run on the CPU: " + String.join(", ", refused), reporter);
            }

            ElementFactory factory = new ElementFactory(workDir, reporter, Clock.systemDefaultZone());
            Engine engine = new Engine(
                    config.graphs(),
                    factory,
                    reporter,
                    workDir,
                    new ChannelRunner.Backoff(
                            Long.getLong("cpustream.backoff.first.ms", 1000),
                            Long.getLong("cpustream.backoff.max.ms", 30000),
                            Integer.getInteger("cpustream.backoff.initial.attempts", 4)));
            Signal.handle(new Signal("TERM"), s -> stopBySignal(engine, "SIGTERM"));
            Signal.handle(new Signal("INT"), s -> stopBySignal(engine, "SIGINT"));
            for (ChannelSpec c : config.channels()) {
                try {
                    engine.addChannel(c);
                } catch (ConfigException e) {
                    if (engine.stopping()) {
                        break; // a signal arrived while starting: a clean stop, not a config error
                    }
                    engine.stop();
                    engine.awaitEnd();
                    return refuse("config error: " + e.getMessage(), reporter);
                }
            }
            ControlServer control = null;
            if (config.httpListen() != null) {
                try {
                    control = new ControlServer(config.httpListen(), engine);
                } catch (IOException e) {
                    engine.stop();
                    engine.awaitEnd();
                    return refuse(
                            "cannot listen on " + config.httpListen().ip() + ":"
                                    + config.httpListen().port() + ": " + e.getMessage(),
                            reporter);
                }
            }
            boolean failed = engine.awaitEnd();
            if (control != null) {
                control.close();
            }
            LOG.info("cpu-stream: {}", failed ? "ended with a failed channel" : "finished");
            return failed ? CHANNEL_FAILED : OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return INTERNAL;
        } catch (RuntimeException e) {
            LOG.error("cpu-stream: internal error: {}", e.toString(), e);
            return INTERNAL;
        } finally {
            if (httpReport != null) {
                httpReport.close();
            }
        }
    }

    private static void stopBySignal(Engine engine, String signal) {
        LOG.info("cpu-stream: {} received, stopping", signal);
        engine.stop();
    }

    private static int refuse(String message, ErrorReporter reporter) {
        LOG.error("cpu-stream: {}", message);
        if (reporter != null) {
            reporter.report(-1, "PARSE_CONFIGURE_FAIL");
        }
        return BAD_CONFIG;
    }

    private static int usage(String why) {
        LOG.error("cpu-stream: {}. Usage: java -jar cpu-stream.jar --demo_config_path=<demo config json>", why);
        return BAD_CONFIG;
    }
}
