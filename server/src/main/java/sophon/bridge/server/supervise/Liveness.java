package sophon.bridge.server.supervise;

import java.time.Instant;
import sophon.bridge.server.process.Child;

/** Tells a running child that still works from a hung one; asked on every watchdog tick. */
public interface Liveness {
    /** Never hung: for children whose only failure is their exit. */
    Liveness NONE = new Liveness() {
        @Override
        public void started(Child child, Instant now) {}

        @Override
        public String hung(Child child, Instant now) {
            return null;
        }
    };

    /** A new child (a fresh start of the count). */
    void started(Child child, Instant now);

    /** Why the child counts as hung now, or null while it works. Must not block. */
    String hung(Child child, Instant now);
}
