package sophon.bridge.logic.report;

import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import sophon.bridge.task.Credentials;

/**
 * The task's ReportUrlList in round robin. A URL that fails is skipped until its backoff
 * (0.5 s doubling to 30 s) runs out; then it gets the next turn again, and one success clears it.
 */
final class ReportTargets {
    static final long FIRST_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;

    static final class Target {
        final HttpUrl url;
        final String masked;
        int failures;
        long readyAtMs;

        Target(HttpUrl url) {
            this.url = url;
            this.masked = Credentials.mask(url.toString());
        }
    }

    private final List<Target> targets;
    private int cursor;
    private boolean stopped;

    ReportTargets(List<HttpUrl> urls) {
        List<Target> list = new ArrayList<>();
        urls.forEach(u -> list.add(new Target(u)));
        this.targets = List.copyOf(list);
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    /** The next URL whose turn it is and that is not backing off; waits for one. Null once stopped. */
    synchronized Target next() throws InterruptedException {
        while (!stopped) {
            long now = System.currentTimeMillis();
            long soonest = Long.MAX_VALUE;
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get((cursor + i) % targets.size());
                if (t.readyAtMs <= now) {
                    cursor = (cursor + i + 1) % targets.size();
                    return t;
                }
                soonest = Math.min(soonest, t.readyAtMs);
            }
            wait(targets.isEmpty() ? 1000 : Math.max(1, soonest - now));
        }
        return null;
    }

    synchronized void succeeded(Target t) {
        t.failures = 0;
        t.readyAtMs = 0;
    }

    /** Returns the backoff applied, in ms. */
    synchronized long failed(Target t) {
        t.failures++;
        long backoff = backoffMs(t.failures);
        t.readyAtMs = System.currentTimeMillis() + backoff;
        return backoff;
    }

    /** The rest after the n-th failure in a row (n ≥ 1): 0.5 s doubling to 30 s. */
    static long backoffMs(int failures) {
        return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(16, failures - 1));
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}
