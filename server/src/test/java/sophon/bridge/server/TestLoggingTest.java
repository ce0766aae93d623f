package sophon.bridge.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Business logic's jar is on this module's test class path, and with it its LogSetup (a logback
 * Configurator); this module's logback-test.xml must still be what configures the server in tests.
 */
class TestLoggingTest {
    @Test
    void theServersTestsAreConfiguredByTheirOwnLogbackTestXml() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertNotNull(root.getAppender("CONSOLE"), "the root logger has logback-test.xml's CONSOLE appender");
    }
}
