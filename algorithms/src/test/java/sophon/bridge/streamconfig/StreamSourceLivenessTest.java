package sophon.bridge.streamconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which sources the supervisor retries forever (live) and which end the entry when they end (finite). */
class StreamSourceLivenessTest {
    @ParameterizedTest
    @CsvSource({
        "rtsp://admin:pw@10.0.0.5:554/stream1, true",
        "RTSP://10.0.0.5/s, true",
        "rtmp://10.0.0.5/live/cam, true",
        "gb28181://34020000001320000001@10.0.0.9:5060, true",
        "gb28181_playback://34020000001320000001@10.0.0.9:5060, false",
        "base64://:12348/base64, true",
        "http://10.0.0.5/live/cam.flv, true",
        "https://10.0.0.5/hls/cam.m3u8?token=x, true",
        "http://10.0.0.5/videos/day1.mp4, false",
        "http://10.0.0.5/videos/day1.MP4?x=1, false",
        "/data/videos/a.avi, false",
        "file:///data/videos/a.avi, false",
        "/data/images, false",
        "/dev/video0, true",
    })
    void liveSourcesAreThoseThatDoNotEndByThemselves(String address, boolean live) {
        assertEquals(live, StreamSource.isLive(address), address);
    }
}
