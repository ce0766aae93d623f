package sophon.bridge.logic.http;

/**
 * The HTTP server under {@link LogicHttpServer}: the hand-written {@link KeepAliveServer} or, for
 * issue 9's A/B, {@link JettyServer}. Both serve the same routes with the same limits.
 */
interface FrontEnd extends AutoCloseable {
    void start();

    int port();

    @Override
    void close();
}
