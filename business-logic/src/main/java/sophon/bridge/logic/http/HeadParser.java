package sophon.bridge.logic.http;

import java.nio.charset.StandardCharsets;
import sophon.bridge.logic.http.HttpConnection.RequestHead;
import sophon.bridge.logic.http.HttpConnection.Version;

/**
 * Reads a request head (RFC 9112) from the connection's bytes in place: no String per line or per
 * header, and the request line's method and target are the previous request's Strings when their
 * bytes are the same, as they are for every frame http_push posts over a connection (so the route
 * lookup hashes nothing new). As Strings (the whole head, split into lines, each header cut into
 * name and value) this was ~3 % of business logic's CPU per frame at a box's load. One per
 * connection; not thread-safe.
 */
final class HeadParser {
    private String method = "";
    private String target = "";
    private String path = "";
    private String rawQuery;

    /** The request in b[0..end), end just past the blank line that ends it. */
    RequestHead parse(byte[] b, int end) throws HttpError {
        int line = 0;
        int lineEnd = lineEnd(b, line, end);
        while (line < end && contentEnd(b, line, lineEnd) == line) {
            line = lineEnd + 1; // stray line breaks between requests are allowed
            lineEnd = lineEnd(b, line, end);
        }
        if (line >= end) {
            throw new HttpError(Status.BAD_REQUEST, "empty request");
        }
        int requestEnd = contentEnd(b, line, lineEnd);
        while (requestEnd > line && b[requestEnd - 1] == ' ') {
            requestEnd--; // trailing spaces were always tolerated
        }
        int sp1 = indexOf(b, line, requestEnd, ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, requestEnd, ' ');
        if (sp1 <= line
                || sp2 < 0
                || sp2 == sp1 + 1
                || b[sp1 + 1] != '/'
                || indexOf(b, sp2 + 1, requestEnd, ' ') >= 0) {
            throw new HttpError(Status.BAD_REQUEST, "bad request line");
        }
        Version version;
        if (is(b, sp2 + 1, requestEnd, "HTTP/1.1")) {
            version = Version.HTTP_1_1;
        } else if (is(b, sp2 + 1, requestEnd, "HTTP/1.0")) {
            version = Version.HTTP_1_0;
        } else {
            throw new HttpError(Status.VERSION_NOT_SUPPORTED, "HTTP/1.1 only");
        }
        if (!is(b, line, sp1, method)) {
            method = ascii(b, line, sp1);
        }
        if (!is(b, sp1 + 1, sp2, target)) {
            target = ascii(b, sp1 + 1, sp2);
            int q = target.indexOf('?');
            path = q < 0 ? target : target.substring(0, q);
            rawQuery = q < 0 ? null : target.substring(q + 1);
        }

        long contentLength = -2; // none declared
        boolean chunked = false;
        boolean close = false;
        boolean keepAliveToken = false;
        boolean expectContinue = false;
        int hosts = 0;
        for (line = lineEnd + 1; line < end; line = lineEnd + 1) {
            lineEnd = lineEnd(b, line, end);
            int contentEnd = contentEnd(b, line, lineEnd);
            if (contentEnd == line) {
                continue;
            }
            int colon = indexOf(b, line, contentEnd, ':');
            if (colon <= line || !isToken(b, line, colon)) {
                // also a name followed by whitespace before the colon, which RFC 9112 5.1 makes a 400
                throw new HttpError(Status.BAD_REQUEST, "bad header line");
            }
            int value = colon + 1;
            int valueEnd = contentEnd;
            while (value < valueEnd && (b[value] & 0xff) <= ' ') {
                value++;
            }
            while (valueEnd > value && (b[valueEnd - 1] & 0xff) <= ' ') {
                valueEnd--;
            }
            if (isIgnoringCase(b, line, colon, "content-length")) {
                long n = parseLength(b, value, valueEnd);
                if (contentLength != -2 && contentLength != n) {
                    throw new HttpError(Status.BAD_REQUEST, "conflicting Content-Length");
                }
                contentLength = n;
            } else if (isIgnoringCase(b, line, colon, "transfer-encoding")) {
                if (!isIgnoringCase(b, value, valueEnd, "chunked")) {
                    throw new HttpError(Status.NOT_IMPLEMENTED, "only chunked transfer coding is supported");
                }
                chunked = true;
            } else if (isIgnoringCase(b, line, colon, "host")) {
                hosts++;
            } else if (isIgnoringCase(b, line, colon, "connection")) {
                for (int t = value; t <= valueEnd; ) {
                    int comma = indexOf(b, t, valueEnd, ',');
                    int tokenEnd = comma < 0 ? valueEnd : comma;
                    int from = t;
                    int to = tokenEnd;
                    while (from < to && (b[from] & 0xff) <= ' ') {
                        from++;
                    }
                    while (to > from && (b[to - 1] & 0xff) <= ' ') {
                        to--;
                    }
                    close |= isIgnoringCase(b, from, to, "close");
                    keepAliveToken |= isIgnoringCase(b, from, to, "keep-alive");
                    t = tokenEnd + 1;
                }
            } else if (isIgnoringCase(b, line, colon, "expect") && version == Version.HTTP_1_1) {
                // an HTTP/1.0 request's expectation is ignored (RFC 9110 10.1.1): 1.0 has no 100 Continue
                if (!isIgnoringCase(b, value, valueEnd, "100-continue")) {
                    throw new HttpError(Status.EXPECTATION_FAILED, "only 100-continue is expected");
                }
                expectContinue = true;
            }
        }
        if (hosts > 1 || (hosts == 0 && version == Version.HTTP_1_1)) {
            throw new HttpError(Status.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
        }
        if (chunked && contentLength != -2) {
            throw new HttpError(Status.BAD_REQUEST, "both Content-Length and chunked");
        }
        boolean keepAlive = !close && (version == Version.HTTP_1_1 || keepAliveToken);
        return new RequestHead(
                method, path, rawQuery, version, chunked ? -1 : Math.max(0, contentLength), keepAlive, expectContinue);
    }

    /** Index of the line feed ending the line at from, or end. */
    private static int lineEnd(byte[] b, int from, int end) {
        int lf = indexOf(b, from, end, '\n');
        return lf < 0 ? end : lf;
    }

    /** Where the line's content ends: before its carriage return, if any. */
    private static int contentEnd(byte[] b, int line, int lineEnd) {
        return lineEnd > line && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    private static int indexOf(byte[] b, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether b[from..to) holds exactly s (ISO-8859-1). */
    private static boolean is(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if ((b[from + i] & 0xff) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether b[from..to) is lower, ASCII letters in either case; lower is lower case. */
    private static boolean isIgnoringCase(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Whether b[from..to) is an RFC 9110 token (tchar). */
    private static boolean isToken(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i];
            boolean tchar = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || (c > 0 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static long parseLength(byte[] b, int from, int to) throws HttpError {
        if (to == from || to - from > 18) {
            throw new HttpError(Status.BAD_REQUEST, "bad Content-Length");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new HttpError(Status.BAD_REQUEST, "bad Content-Length");
            }
            n = n * 10 + d;
        }
        return n;
    }
}
