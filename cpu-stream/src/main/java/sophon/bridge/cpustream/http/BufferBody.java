package sophon.bridge.cpustream.http;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * A request body already written into an okio buffer: its length is known (a Content-Length
 * post, not chunked, as the JDK client sent it), and writing it hands the buffer's segments to
 * the socket's sink without copying the bytes (copy() shares segments), so it can also be
 * written again.
 */
public final class BufferBody extends RequestBody {
    private static final MediaType JSON = MediaType.get("application/json");
    private final Buffer body;

    private BufferBody(Buffer body) {
        this.body = body;
    }

    public static BufferBody json(Buffer body) {
        return new BufferBody(body);
    }

    @Override
    public MediaType contentType() {
        return JSON;
    }

    @Override
    public long contentLength() {
        return body.size();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        sink.writeAll(body.copy());
    }
}
