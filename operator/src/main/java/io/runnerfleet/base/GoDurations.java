package io.runnerfleet.base;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations ({@code 1m30s}, {@code 500ms}) as the CRD and GitLab variables write them, and whole seconds as
 * config.toml stores them. The only duration parser of the project, and strict: text that is not a duration from
 * start to end (such as {@code 1h30mfoo}) is refused rather than read as its longest valid prefix.
 */
public final class GoDurations {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private GoDurations() {}

    public static Duration parse(String text) {
        Matcher matcher = PART.matcher(text);
        long millis = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            millis += switch (matcher.group(2)) {
                case "ms" -> Math.round(amount);
                case "s" -> Math.round(amount * 1_000);
                case "m" -> Math.round(amount * 60_000);
                default -> Math.round(amount * 3_600_000);
            };
            end = matcher.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration; expected e.g. 3s or 1m30s");
        }
        return Duration.ofMillis(millis);
    }

    /** Rounded up, so that {@code 500ms} does not become 0 (which gitlab-runner reads as "use the default"). */
    public static int toWholeSeconds(String text) {
        long seconds = (parse(text).toMillis() + 999) / 1000;
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    /** Go's {@code time.Duration.String()} for whole seconds: {@code 1h0m0s}, {@code 10m0s}, {@code 45s}. */
    public static String goString(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds % 3600 / 60 + "m" + seconds % 60 + "s";
    }

    public static String ofSeconds(long seconds) {
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
