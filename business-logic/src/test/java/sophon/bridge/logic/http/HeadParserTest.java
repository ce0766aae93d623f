package sophon.bridge.logic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import sophon.bridge.logic.http.HttpConnection.RequestHead;
import sophon.bridge.logic.http.HttpConnection.Version;

/** The request head read from bytes in place, case by case of RFC 9112 and of what we accept. */
class HeadParserTest {
    private final HeadParser parser = new HeadParser();

    private RequestHead parse(String head) throws HttpError {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(b, b.length);
    }

    private int refused(String head) {
        return assertThrows(HttpError.class, () -> parse(head)).status.code;
    }

    @Test
    void aFramePostIsReadWhole() throws HttpError {
        RequestHead h = parse("POST /frames?x=1 HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-LENGTH:  261861 \r\n\r\n");
        assertEquals("POST", h.method());
        assertEquals("/frames", h.path());
        assertEquals("x=1", h.rawQuery());
        assertEquals(Version.HTTP_1_1, h.version());
        assertEquals(261861, h.bodyLength());
        assertTrue(h.keepAlive());
        assertFalse(h.expectContinue());
    }

    @Test
    void theSameRequestLineGivesTheSameStrings() throws HttpError {
        RequestHead first = parse("POST /frames HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
        RequestHead second = parse("POST /frames HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n");
        assertSame(first.method(), second.method());
        assertSame(first.path(), second.path());
        assertEquals(7, second.bodyLength());
        RequestHead other = parse("GET /counters?window=30 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("GET", other.method());
        assertEquals("/counters", other.path());
        assertEquals("window=30", other.rawQuery());
        assertNull(parse("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").rawQuery());
    }

    @Test
    void bareLineFeedsStrayLeadingLinesAndTrailingSpacesAreTolerated() throws HttpError {
        assertEquals(
                3, parse("\r\nPOST /a HTTP/1.1\nHost: x\nContent-Length: 3\n\n").bodyLength());
        assertEquals("/a", parse("POST /a HTTP/1.1  \r\nHost: x\r\n\r\n").path());
    }

    @Test
    void badRequestLinesAre400Or505() {
        assertEquals(400, refused("\r\n\r\n"));
        assertEquals(400, refused("POST  /a HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(400, refused(" POST /a HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(400, refused("POST a HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(400, refused("POST /a\r\nHost: x\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1 x\r\nHost: x\r\n\r\n"));
        assertEquals(505, refused("POST /a HTTP/2.0\r\nHost: x\r\n\r\n"));
        assertEquals(505, refused("POST /a http/1.1\r\nHost: x\r\n\r\n"));
    }

    @Test
    void headerLinesAndLengthsAreChecked() {
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nBad(name): 1\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5 5\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1234567890123456789\r\n\r\n"));
        assertEquals(400, refused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"));
        assertEquals(
                400, refused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertEquals(501, refused("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"));
        assertEquals(417, refused("POST /a HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n"));
    }

    @Test
    void repeatedEqualLengthsChunkedExpectAndConnectionTokens() throws HttpError {
        assertEquals(
                5,
                parse("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")
                        .bodyLength());
        assertEquals(
                -1,
                parse("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n")
                        .bodyLength());
        assertTrue(parse("POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n\r\n")
                .expectContinue());
        assertFalse(parse("POST /a HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expectContinue());
        assertFalse(parse("POST /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive , CLOSE\r\n\r\n")
                .keepAlive());
        assertFalse(parse("POST /a HTTP/1.0\r\n\r\n").keepAlive());
        assertTrue(parse("POST /a HTTP/1.0\r\nConnection: Upgrade,Keep-Alive\r\n\r\n")
                .keepAlive());
        assertTrue(parse("POST /a HTTP/1.1\r\nHost: x\r\nConnection: ,\r\n\r\n").keepAlive());
    }
}
