package io.runnerfleet.base;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A cron expression of five fields (minute, hour, day of month, month, day of week) read as the set of minutes it
 * contains, as gitlab-runner's warm-capacity policies use their {@code periods} ({@code
 * executors/kubernetes/autoscaler/policy.go} calls {@code taskscaler/cron.Parse(period, timezone)} and asks {@code
 * Contains(t)}; its docs, {@code docs/executors/kubernetes/_index.md} "Cron syntax", list the fields, day of week
 * 0-7 with 0 and 7 Sunday, and names such as {@code mon-fri}). Items are {@code *}, {@code n}, {@code a-b}, each with
 * an optional {@code /step}, separated by commas; month and weekday names are case-insensitive. As in every classic
 * cron, a day matches when both day fields are restricted and either matches, else when both match.
 */
public final class CronPeriod {
    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> WEEKDAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private final String text;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDayOfMonth;
    private final boolean anyWeekday;

    private CronPeriod(String text, ZoneId zone, String[] fields) {
        this.text = text;
        this.zone = zone;
        this.minutes = field(fields[0], "minute", 0, 59, List.of());
        this.hours = field(fields[1], "hour", 0, 23, List.of());
        this.daysOfMonth = field(fields[2], "day of month", 1, 31, List.of());
        this.months = field(fields[3], "month", 1, 12, MONTHS);
        BitSet days = field(fields[4], "day of week", 0, 7, WEEKDAYS);
        if (days.get(7)) {
            days.set(0);
        }
        this.weekdays = days;
        this.anyDayOfMonth = fields[2].startsWith("*");
        this.anyWeekday = fields[4].startsWith("*");
    }

    /**
     * Reads {@code text} in time zone {@code timezone} (an IANA name such as {@code Europe/Berlin}).
     *
     * @throws IllegalArgumentException naming what is wrong, to be put after the field's path
     */
    public static CronPeriod parse(String text, String timezone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "unknown time zone \"" + timezone + "\"; use an IANA name such as UTC or Europe/Berlin", e);
        }
        String trimmed = text == null ? "" : text.trim();
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("\"" + text + "\" has " + (trimmed.isEmpty() ? 0 : fields.length)
                    + " fields; a period has five: minute hour day-of-month month day-of-week, such as "
                    + "\"* 8-17 * * mon-fri\"");
        }
        return new CronPeriod(trimmed, zone, fields);
    }

    /** Whether the minute of {@code time}, seen in this period's time zone, is one of the period's. */
    public boolean contains(ZonedDateTime time) {
        ZonedDateTime t = time.withZoneSameInstant(zone);
        if (!minutes.get(t.getMinute()) || !hours.get(t.getHour()) || !months.get(t.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = weekdays.get(t.getDayOfWeek().getValue() % 7);
        return anyDayOfMonth || anyWeekday ? dom && dow : dom || dow;
    }

    public String text() {
        return text;
    }

    private static BitSet field(String field, String name, int min, int max, List<String> names) {
        BitSet set = new BitSet(max + 1);
        for (String item : field.split(",", -1)) {
            item(item, name, min, max, names, set);
        }
        return set;
    }

    private static void item(String item, String name, int min, int max, List<String> names, BitSet set) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            step = number(item.substring(slash + 1), name, 1, max, List.of());
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = min;
            to = max;
        } else if (range.indexOf('-') > 0) {
            int dash = range.indexOf('-');
            from = number(range.substring(0, dash), name, min, max, names);
            to = number(range.substring(dash + 1), name, min, max, names);
            if (from > to) {
                throw new IllegalArgumentException(name + " range \"" + range + "\" runs backwards");
            }
        } else {
            from = number(range, name, min, max, names);
            // "5/15" means from 5 to the end in steps of 15, as in Vixie cron and robfig/cron.
            to = slash >= 0 ? max : from;
        }
        for (int i = from; i <= to; i += step) {
            set.set(i);
        }
    }

    private static int number(String text, String name, int min, int max, List<String> names) {
        int named = names.indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return named + (names.size() == 12 ? 1 : 0);
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " \"" + text + "\" is not a number"
                            + (names.isEmpty() ? "" : " nor a name such as " + names.get(1)),
                    e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside " + min + "-" + max);
        }
        return value;
    }

    @Override
    public String toString() {
        return text + " (" + zone + ")";
    }
}
