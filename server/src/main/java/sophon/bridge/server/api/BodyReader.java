package sophon.bridge.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import sophon.bridge.server.task.Failure;
import sophon.bridge.server.task.TaskException;

/**
 * Reads a request body up to a limit. An oversized body is drained (up to a hard ceiling) before
 * the refusal is sent, so the client reads our answer instead of a reset connection.
 */
final class BodyReader {
    private static final long DRAIN_CEILING = 64L * 1024 * 1024;

    private final int limit;

    BodyReader(int limit) {
        this.limit = limit;
    }

    byte[] read(InputStream in) throws TaskException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (out.size() + n > limit) {
                drain(in, buf);
                throw new TaskException(
                        Failure.BAD_REQUEST, "The request body is larger than " + limit / (1024 * 1024) + " MB.");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in, byte[] buf) throws IOException {
        long drained = 0;
        int n;
        while (drained < DRAIN_CEILING && (n = in.read(buf)) >= 0) {
            drained += n;
        }
    }
}
