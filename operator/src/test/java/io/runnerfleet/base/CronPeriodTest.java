package io.runnerfleet.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The periods of gitlab-runner's docs and autoscaler/policy_test.go, read as that code reads them. */
class CronPeriodTest {
    private static ZonedDateTime utc(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, ZoneOffset.UTC);
    }

    @Test
    void businessHoursAreWeekdaysFromEightTillSeventeenFiftyNine() {
        CronPeriod period = CronPeriod.parse("* 8-17 * * mon-fri", "UTC");
        assertThat(period.contains(utc(2024, 1, 15, 10, 0))).as("Monday 10:00").isTrue();
        assertThat(period.contains(utc(2024, 1, 15, 17, 59))).as("Monday 17:59").isTrue();
        assertThat(period.contains(utc(2024, 1, 15, 18, 0))).as("Monday 18:00").isFalse();
        assertThat(period.contains(utc(2024, 1, 15, 7, 59))).as("Monday 7:59").isFalse();
        assertThat(period.contains(utc(2024, 1, 20, 10, 0))).as("Saturday").isFalse();
    }

    @Test
    void theTimeIsReadInThePeriodsTimeZone() {
        CronPeriod berlin = CronPeriod.parse("* 8-17 * * mon-fri", "Europe/Berlin");
        // 07:30 UTC in January is 08:30 in Berlin; 17:30 UTC is 18:30 there.
        assertThat(berlin.contains(utc(2024, 1, 15, 7, 30))).isTrue();
        assertThat(berlin.contains(utc(2024, 1, 15, 17, 30))).isFalse();
        // In July Berlin is UTC+2: 06:00 UTC is 08:00 there.
        assertThat(berlin.contains(utc(2024, 7, 15, 6, 0))).isTrue();
    }

    @Test
    void sundayIsZeroAndSevenAndNamesIgnoreCase() {
        ZonedDateTime sunday = utc(2024, 1, 21, 12, 0);
        assertThat(CronPeriod.parse("* * * * 0", "UTC").contains(sunday)).isTrue();
        assertThat(CronPeriod.parse("* * * * 7", "UTC").contains(sunday)).isTrue();
        assertThat(CronPeriod.parse("* * * * SUN", "UTC").contains(sunday)).isTrue();
        assertThat(CronPeriod.parse("* * * * 1-6", "UTC").contains(sunday)).isFalse();
        assertThat(CronPeriod.parse("* * * Jan *", "UTC").contains(sunday)).isTrue();
    }

    @Test
    void listsStepsAndBothDayFields() {
        CronPeriod quarter = CronPeriod.parse("*/15 0-12,20 * * *", "UTC");
        assertThat(quarter.contains(utc(2024, 1, 15, 12, 45))).isTrue();
        assertThat(quarter.contains(utc(2024, 1, 15, 20, 30))).isTrue();
        assertThat(quarter.contains(utc(2024, 1, 15, 12, 46))).isFalse();
        assertThat(quarter.contains(utc(2024, 1, 15, 13, 0))).isFalse();
        // Both day fields restricted: either one matching is enough (the 1st, or any Friday), as in every cron.
        CronPeriod firstOrFriday = CronPeriod.parse("* * 1 * fri", "UTC");
        assertThat(firstOrFriday.contains(utc(2024, 1, 1, 0, 0)))
                .as("Monday the 1st")
                .isTrue();
        assertThat(firstOrFriday.contains(utc(2024, 1, 19, 0, 0)))
                .as("Friday the 19th")
                .isTrue();
        assertThat(firstOrFriday.contains(utc(2024, 1, 18, 0, 0)))
                .as("Thursday the 18th")
                .isFalse();
    }

    @Test
    void badPeriodsSayWhatIsWrong() {
        assertThatThrownBy(() -> CronPeriod.parse("invalid", "UTC"))
                .hasMessageContaining("has 1 fields; a period has five");
        assertThatThrownBy(() -> CronPeriod.parse("* 25 * * *", "UTC")).hasMessage("hour 25 is outside 0-23");
        assertThatThrownBy(() -> CronPeriod.parse("* * * * mon-xyz", "UTC"))
                .hasMessageContaining("day of week \"xyz\" is not a number nor a name such as mon");
        assertThatThrownBy(() -> CronPeriod.parse("* 17-8 * * *", "UTC")).hasMessageContaining("runs backwards");
        assertThatThrownBy(() -> CronPeriod.parse("*/0 * * * *", "UTC")).hasMessageContaining("outside 1-59");
        assertThatThrownBy(() -> CronPeriod.parse("* * * * *", "Mars/Olympus"))
                .hasMessageStartingWith("unknown time zone \"Mars/Olympus\"");
    }
}
