package sophon.bridge.server.supervise;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import sophon.bridge.server.process.Child;

/**
 * Business logic is alive while it answers {@code GET /health}: asked every {@code interval}
 * (never two questions at once), {@code maxMisses} unanswered questions in a row count as hung.
 * A process that is stopped or stuck still has its socket accepted by the kernel, so only an
 * answer counts; any answer does (a saturated process refusing with 503 is busy, not hung).
 */
public final class HealthLiveness implements Liveness {
    private final Duration interval;
    private final int maxMisses;
    private final BiConsumer<Integer, Consumer<Boolean>> ask;
    private final IntSupplier port;
    private Instant lastAsked;
    private boolean asking;
    private int misses;

    /**
     * {@code port}: where the child listens now (it changes when the entry moves off a port another
     * process took); {@code ask}: sends one health question to a port and calls back with its
     * outcome (a timeout is false).
     */
    public HealthLiveness(
            IntSupplier port, Duration interval, int maxMisses, BiConsumer<Integer, Consumer<Boolean>> ask) {
        this.port = port;
        this.interval = interval;
        this.maxMisses = maxMisses;
        this.ask = ask;
    }

    @Override
    public synchronized void started(Child child, Instant now) {
        lastAsked = now;
        misses = 0;
    }

    @Override
    public String hung(Child child, Instant now) {
        synchronized (this) {
            if (misses >= maxMisses) {
                return "business-logic did not answer /health " + misses + " times in a row";
            }
            if (asking || lastAsked != null && Duration.between(lastAsked, now).compareTo(interval) < 0) {
                return null;
            }
            asking = true;
            lastAsked = now;
        }
        ask.accept(port.getAsInt(), this::answered);
        return null;
    }

    private synchronized void answered(boolean ok) {
        asking = false;
        misses = ok ? 0 : misses + 1;
    }
}
