package sophon.bridge.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialsTest {
    static Stream<Arguments> masked() {
        return Stream.of(
                Arguments.of("plain rtsp", "rtsp://admin:secret@10.0.0.5:554/s1", "rtsp://admin:***@10.0.0.5:554/s1"),
                Arguments.of("@ in the password", "rtsp://admin:P@ss@host/", "rtsp://admin:***@host/"),
                Arguments.of(
                        "@ and : in the password", "rtsp://admin:a:b@c:d@host:554/x", "rtsp://admin:***@host:554/x"),
                Arguments.of("password ending in @", "rtsp://admin:pw@@host/", "rtsp://admin:***@host/"),
                Arguments.of("@ in the user name", "rtsp://ops@site.cn:pw@cam/", "rtsp://ops@site.cn:***@cam/"),
                Arguments.of("empty user", "rtsp://:pw@cam/", "rtsp://:***@cam/"),
                Arguments.of("empty password", "rtsp://admin:@cam/", "rtsp://admin:***@cam/"),
                Arguments.of("no path", "rtsp://admin:pw@cam", "rtsp://admin:***@cam"),
                Arguments.of("query right after the host", "http://u:pw@h?x=1", "http://u:***@h?x=1"),
                Arguments.of(
                        "@ in the query is not userinfo",
                        "http://u:pw@h/up?mail=a@b.c",
                        "http://u:***@h/up?mail=a@b.c"),
                Arguments.of("URL-encoded password", "rtsp://admin:p%40ss%3Aw@cam/", "rtsp://admin:***@cam/"),
                Arguments.of("unescaped / in the password", "rtsp://admin:pa/ss@cam/live", "rtsp://admin:***@cam/live"),
                Arguments.of(
                        "unescaped / and @ in the password",
                        "rtsp://admin:p/a@ss@cam/live",
                        "rtsp://admin:***@cam/live"),
                Arguments.of("unescaped ? and # in the password", "rtsp://admin:p?q#r@cam/", "rtsp://admin:***@cam/"),
                Arguments.of("rtmp", "rtmp://pub:key@media:1935/app", "rtmp://pub:***@media:1935/app"),
                Arguments.of(
                        "http report URL",
                        "http://rep:pw@127.0.0.1:8089/api/upload",
                        "http://rep:***@127.0.0.1:8089/api/upload"),
                Arguments.of("https, IPv6 host", "https://u:pw@[fe80::1]:443/x", "https://u:***@[fe80::1]:443/x"),
                Arguments.of("upper-case scheme", "RTSP://Admin:PW@CAM/", "RTSP://Admin:***@CAM/"),
                Arguments.of(
                        "gb28181 scheme",
                        "gb28181://34020000:pw@10.1.1.1:5060",
                        "gb28181://34020000:***@10.1.1.1:5060"),
                Arguments.of("scheme-less", "admin:12345@192.168.1.10:554/h264", "admin:***@192.168.1.10:554/h264"),
                Arguments.of(
                        "scheme-less in a sentence",
                        "The source Address admin:12345@192.168.1.10 is not supported.",
                        "The source Address admin:***@192.168.1.10 is not supported."),
                Arguments.of("scheme-less after =", "address=admin:pw@cam/x", "address=admin:***@cam/x"),
                Arguments.of("scheme-less with @ in the password", "admin:P@ss@cam/x", "admin:***@cam/x"),
                Arguments.of(
                        "two URLs in one line",
                        "from rtsp://a:one@c1/x to http://b:two@h/y",
                        "from rtsp://a:***@c1/x to http://b:***@h/y"),
                Arguments.of(
                        "two URLs without a space",
                        "rtsp://a:one@c1,rtsp://b:two@c2/",
                        "rtsp://a:***@c1,rtsp://b:***@c2/"),
                Arguments.of(
                        "double quotes", "source \"rtsp://a:pw@cam\" failed", "source \"rtsp://a:***@cam\" failed"),
                Arguments.of("single quotes", "entry 'http://a:pw@h' skipped", "entry 'http://a:***@h' skipped"),
                Arguments.of("angle brackets", "<rtsp://a:pw@cam>", "<rtsp://a:***@cam>"),
                Arguments.of(
                        "JSON with escaped slashes",
                        "{\"url\":\"rtsp:\\/\\/a:pw@cam\\/live\"}",
                        "{\"url\":\"rtsp:\\/\\/a:***@cam\\/live\"}"),
                Arguments.of(
                        "JSON-escaped quote in the password",
                        "{\"url\":\"rtsp://a:p\\\"w@cam/\"}",
                        "{\"url\":\"rtsp://a:***@cam/\"}"),
                Arguments.of(
                        "JSON-escaped backslash in the password",
                        "{\"url\":\"rtsp://a:p\\\\w@cam/\"}",
                        "{\"url\":\"rtsp://a:***@cam/\"}"),
                Arguments.of(
                        "JSON, scheme-less",
                        "{\"Address\":\"admin:pw@cam\",\"SrcID\":\"x\"}",
                        "{\"Address\":\"admin:***@cam\",\"SrcID\":\"x\"}"),
                Arguments.of("prefixed by a word and a colon", "Source:rtsp://a:pw@cam/", "Source:rtsp://a:***@cam/"),
                Arguments.of(
                        "exception text",
                        "java.io.IOException: cannot open rtsp://a:pw@cam/: 401",
                        "java.io.IOException: cannot open rtsp://a:***@cam/: 401"),
                Arguments.of(
                        "multi-line log tail",
                        "opening rtsp://a:pw@cam/\nframe 0\nretry rtsp://a:pw@cam/",
                        "opening rtsp://a:***@cam/\nframe 0\nretry rtsp://a:***@cam/"),
                Arguments.of(
                        "a masked slash-escaped JSON URL twice",
                        "rtsp:\\/\\/a:b@c\\/x rtsp:\\/\\/d:e@f",
                        "rtsp:\\/\\/a:***@c\\/x rtsp:\\/\\/d:***@f"),
                Arguments.of("already masked", "rtsp://admin:***@cam/", "rtsp://admin:***@cam/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("masked")
    void masksThePasswordAndKeepsTheRest(String name, String text, String expected) {
        assertEquals(expected, Credentials.mask(text));
    }

    static Stream<Arguments> untouched() {
        return Stream.of(
                Arguments.of("an e-mail address", "email me at a@b.c"),
                Arguments.of("key=value log line", "task=x entry=0 business-logic started pid=42"),
                Arguments.of("a user without a password", "rtsp://admin@cam:554/s1"),
                Arguments.of("@ in a path after a port", "http://h:8080/users/bob@example.com"),
                Arguments.of("@ in a path, no port", "http://host/a@b"),
                Arguments.of("a time before an @", "12:34:56.789 WARN sent to ops@example.com"),
                Arguments.of("a Java object identity", "sophon.bridge.Foo@1b2c3d at Foo.java:42"),
                Arguments.of("an absolute file path", "/data/videos/a:b@c.mp4"),
                Arguments.of("a colon and a space", "Error: ops@example.com"),
                Arguments.of("no @ at all", "rtsp://admin:secret"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untouched")
    void leavesTextWithoutCredentialsAlone(String name, String text) {
        assertEquals(text, Credentials.mask(text));
    }

    @Test
    void aLongBlobInALineIsOnePassNotOnePerCharacter() {
        String blob = "a1".repeat(100_000);
        String line = "frame " + blob + " from rtsp://a:pw@cam/ and " + blob + ":x@y";
        String masked = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Credentials.mask(line));
        assertTrue(masked.contains("rtsp://a:***@cam/"), "masked all the same");
    }

    @Test
    void nullStaysNull() {
        assertNull(Credentials.mask(null));
    }

    @Test
    void jacksonWrittenJsonIsMaskedWithOrWithoutEscapedSlashes() throws Exception {
        // Jackson leaves '/' alone by default; ESCAPE_FORWARD_SLASHES writes "\/", as some JSON writers do.
        String url = "rtsp://admin:P@s:s\"w\\x%2Fy@cam:554/live";
        for (ObjectMapper mapper : new ObjectMapper[] {
            new ObjectMapper(),
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build()
        }) {
            String json = mapper.writeValueAsString(Map.of("Address", url));
            String masked = Credentials.mask(json);
            assertFalse(masked.contains("P@s") || masked.contains("s:s") || masked.contains("%2Fy"), masked);
            assertEquals(
                    "rtsp://admin:***@cam:554/live",
                    mapper.readTree(masked).path("Address").asText(),
                    "still valid JSON with the host kept: " + masked);
        }
    }
}
