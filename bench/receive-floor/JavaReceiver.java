import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The JVM's floor under business logic's CPU per frame (bench/receive-floor.sh): one connection on
 * 127.0.0.1:<port>, each HTTP/1.1 POST's body read from the socket stream in 64 KB pieces into a
 * reused buffer with a read timeout set, as business logic's HttpConnection reads it, and answered
 * with the same small 200. No parsing beyond Content-Length, no alarms, no other thread.
 */
public final class JavaReceiver {
    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 22\r\n\r\n{\"code\":0,\"msg\":\"ok\"}\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final int CHUNK = 64 * 1024;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                serve(s.getInputStream(), s.getOutputStream());
            }
        }
    }

    private static void serve(InputStream in, OutputStream out) throws Exception {
        byte[] head = new byte[16 * 1024];
        byte[] body = new byte[1 << 20];
        int have = 0;
        while (true) {
            int end;
            while ((end = headEnd(head, have)) < 0) {
                int n = in.read(head, have, head.length - have);
                if (n < 0) {
                    return;
                }
                have += n;
            }
            int length = contentLength(head, end);
            if (body.length < length) {
                body = new byte[length];
            }
            int got = Math.min(have - end, length);
            System.arraycopy(head, end, body, 0, got);
            int rest = have - end - got;
            System.arraycopy(head, end + got, head, 0, rest);
            have = rest;
            while (got < length) {
                int n = in.read(body, got, Math.min(CHUNK, length - got));
                if (n < 0) {
                    return;
                }
                got += n;
            }
            out.write(ANSWER);
        }
    }

    private static int headEnd(byte[] b, int n) {
        for (int i = 3; i < n; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int contentLength(byte[] b, int end) {
        String h = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        int i = h.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        return Integer.parseInt(h.substring(i + 15, h.indexOf('\r', i)).trim());
    }
}
