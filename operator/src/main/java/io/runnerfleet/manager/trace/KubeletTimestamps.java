package io.runnerfleet.manager.trace;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The timestamps of {@code timestamps=true} log lines: Go's RFC3339Nano (UTC, trailing zeros of the fraction cut). */
public final class KubeletTimestamps {
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private KubeletTimestamps() {}

    /** Parses {@code 2024-05-01T10:00:00.123456789Z} (any fraction length, {@code Z} or an offset); null if not one. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Formats as Go's {@code time.RFC3339Nano} does in UTC: {@code 2024-05-01T10:00:00.1Z}, {@code ...:00Z}. */
    public static String format(Instant instant) {
        String base = SECONDS.format(instant);
        int nanos = instant.getNano();
        if (nanos == 0) {
            return base + "Z";
        }
        String fraction = String.format("%09d", nanos);
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return base + "." + fraction.substring(0, end) + "Z";
    }

    /** The {@code sinceTime} the API server will actually apply: the instant cut to whole seconds, as RFC3339. */
    public static String sinceTime(Instant instant) {
        return format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
