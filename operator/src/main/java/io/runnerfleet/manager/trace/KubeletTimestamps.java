package io.runnerfleet.manager.trace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The timestamps of {@code timestamps=true} log lines: Go's RFC3339Nano (UTC, trailing zeros of the fraction cut). */
public final class KubeletTimestamps {
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private KubeletTimestamps() {}

    /**
     * Parses the ASCII bytes {@code [from, to)}, as {@link #parse(String)} does. The kubelet's own form (UTC, {@code Z},
     * a fraction of 0–9 digits) is read straight from the bytes, with no String and no formatter: the formatter's
     * parse per log line was a fifth of the log path's time (bench/README.md, issue #16). Any other form (an offset,
     * no seconds) goes through {@link #parse(String)}, so both accept and reject the same texts.
     */
    public static Instant parse(byte[] text, int from, int to) {
        long seconds = utcSeconds(text, from, to);
        if (seconds != NOT_FAST) {
            int nanos = 0;
            int digits = 0;
            for (int i = from + 20; i < to - 1; i++) {
                nanos = nanos * 10 + (text[i] - '0');
                digits++;
            }
            for (; digits < 9; digits++) {
                nanos *= 10;
            }
            return Instant.ofEpochSecond(seconds, nanos);
        }
        return parse(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static final long NOT_FAST = Long.MIN_VALUE;

    /**
     * Epoch seconds of {@code uuuu-MM-ddTHH:mm:ss[.fraction]Z} at {@code [from, to)} with a valid date and time; NOT_FAST
     * for anything else (the fraction's digits are checked here, read by the caller).
     */
    private static long utcSeconds(byte[] t, int from, int to) {
        int length = to - from;
        if (length < 20 || length == 21 || length > 30 || t[to - 1] != 'Z') {
            return NOT_FAST;
        }
        if (t[from + 4] != '-'
                || t[from + 7] != '-'
                || t[from + 10] != 'T'
                || t[from + 13] != ':'
                || t[from + 16] != ':') {
            return NOT_FAST;
        }
        if (length > 20 && t[from + 19] != '.') {
            return NOT_FAST;
        }
        for (int i = from + 20; i < to - 1; i++) {
            if (t[i] < '0' || t[i] > '9') {
                return NOT_FAST;
            }
        }
        int year = digits(t, from, 4);
        int month = digits(t, from + 5, 2);
        int day = digits(t, from + 8, 2);
        int hour = digits(t, from + 11, 2);
        int minute = digits(t, from + 14, 2);
        int second = digits(t, from + 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > daysIn(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NOT_FAST;
        }
        return epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    }

    /** The decimal number of {@code count} ASCII digits at {@code at}; -1 if one is not a digit. */
    private static int digits(byte[] t, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int d = t[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (years 0–9999), as {@code LocalDate.toEpochDay}. */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

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
        // The fraction of the second is what RFC3339Nano prints after the seconds SECONDS formats: not a mistake.
        @SuppressWarnings("JavaInstantGetSecondsGetNano")
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
