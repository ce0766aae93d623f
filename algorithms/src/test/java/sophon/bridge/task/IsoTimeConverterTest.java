package sophon.bridge.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class IsoTimeConverterTest {
    private static final DateTimeFormatter LOGBACK_D = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    @Test
    void writesWhatLogbacksDatePatternWrote() {
        // Whole-hour, half-hour and 45-minute offsets, both hemispheres' daylight saving, and UTC.
        String[] zones = {
            "UTC",
            "Asia/Shanghai",
            "America/New_York",
            "Asia/Kolkata",
            "Pacific/Chatham",
            "America/St_Johns",
            "Australia/Adelaide",
            "Europe/Dublin"
        };
        SplittableRandom random = new SplittableRandom(7);
        long from = Instant.parse("1970-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
        for (String id : zones) {
            IsoTimeConverter converter = new IsoTimeConverter(TimeZone.getTimeZone(id));
            DateTimeFormatter expected = LOGBACK_D.withZone(ZoneId.of(id));
            long[] edges = {
                0,
                -1,
                951_782_400_000L, // 2000-02-29 begins
                951_868_799_999L, // and ends
                4_107_542_399_999L, // 2100-02-28 ends: 2100 is not a leap year
                Instant.parse("2026-03-08T06:59:59.999Z").toEpochMilli(), // New York's spring forward
                Instant.parse("2026-11-01T05:59:59.999Z").toEpochMilli() // and fall back
            };
            for (long ms : edges) {
                assertEquals(expected.format(Instant.ofEpochMilli(ms)), converter.format(ms), id + " " + ms);
            }
            for (int i = 0; i < 20_000; i++) {
                long ms = random.nextLong(from, to);
                assertEquals(expected.format(Instant.ofEpochMilli(ms)), converter.format(ms), id + " " + ms);
            }
        }
    }
}
