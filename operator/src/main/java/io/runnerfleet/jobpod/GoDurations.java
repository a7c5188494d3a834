package io.runnerfleet.jobpod;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whole-second Go durations such as {@code 1h30m} or {@code 90s}, as GitLab variables write them. */
final class GoDurations {
    private static final Pattern PART = Pattern.compile("([0-9]+)([hms])");

    private GoDurations() {
    }

    static int seconds(String duration) {
        long total = 0;
        Matcher m = PART.matcher(duration);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }
}
