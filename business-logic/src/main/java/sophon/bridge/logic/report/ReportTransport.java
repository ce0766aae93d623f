package sophon.bridge.logic.report;

import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import sophon.bridge.logic.outbox.Outbox;

/**
 * Posts one batch of alarms (a JSON array of the stored bodies) and returns the answer; the
 * {@link Reporter} decides what it means. Two clients for issue 9's footprint A/B: OkHttp
 * ({@link OkHttpTransport}, the default) and the JDK's java.net.http ({@link JdkTransport}).
 */
interface ReportTransport extends AutoCloseable {
    /** body: at most {@link Reporter#MAX_ANSWER_BYTES} of the answer, null without one; location: a 3xx's Location. */
    record Answer(int code, String location, byte[] body) {}

    Answer post(HttpUrl url, List<Outbox.Entry> batch) throws IOException, InterruptedException;

    @Override
    void close();

    /** The batch's length as a JSON array of the bodies: brackets and commas. */
    static long arrayLength(List<Outbox.Entry> batch) {
        long n = 2 + Math.max(0, batch.size() - 1);
        for (Outbox.Entry e : batch) {
            n += e.body().length;
        }
        return n;
    }

    static boolean isRedirect(int code) {
        return code == 300 || code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
