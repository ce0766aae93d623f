package sophon.bridge.task;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.TimeZone;

/**
 * {@code %isotime}: the event's time in the local zone as {@code 2026-12-02T11:38:05.123+08:00},
 * the text of {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSxxx}}. Logback's {@code %d} formats through
 * java.time's DateTimeFormatter, which loads ~170 classes and builds the CLDR locale tables (~2,000
 * cached locales) in every per-task process that logs a line; this needs only the zone's offset.
 * Register it with {@link #register}.
 */
public final class IsoTimeConverter extends ClassicConverter {
    public static final String WORD = "isotime";
    private static final long MS_PER_DAY = 86_400_000L;

    private final TimeZone zone;

    public IsoTimeConverter() {
        this(TimeZone.getDefault());
    }

    IsoTimeConverter(TimeZone zone) {
        this.zone = zone;
    }

    /** Makes {@code %isotime} known to a layout; call before the layout starts. */
    public static void register(ch.qos.logback.core.pattern.PatternLayoutBase<?> layout) {
        layout.getInstanceConverterMap().put(WORD, IsoTimeConverter.class.getName());
    }

    @Override
    public String convert(ILoggingEvent event) {
        return format(event.getTimeStamp());
    }

    String format(long epochMs) {
        int offsetMs = zone.getOffset(epochMs);
        long local = epochMs + offsetMs;
        long days = Math.floorDiv(local, MS_PER_DAY);
        int msOfDay = (int) Math.floorMod(local, MS_PER_DAY);
        // Civil date from days since 1970-01-01 (proleptic Gregorian), H. Hinnant's days_from_civil inverse.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        StringBuilder s = new StringBuilder(29);
        pad(s, year, 4).append('-');
        pad(s, month, 2).append('-');
        pad(s, day, 2).append('T');
        pad(s, msOfDay / 3_600_000, 2).append(':');
        pad(s, msOfDay / 60_000 % 60, 2).append(':');
        pad(s, msOfDay / 1000 % 60, 2).append('.');
        pad(s, msOfDay % 1000, 3);
        int offsetMinutes = Math.abs(offsetMs) / 60_000;
        s.append(offsetMs < 0 ? '-' : '+');
        pad(s, offsetMinutes / 60, 2).append(':');
        return pad(s, offsetMinutes % 60, 2).toString();
    }

    private static StringBuilder pad(StringBuilder s, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(digits);
    }
}
