package io.runnerfleet.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GoDurationsTest {
    @Test
    void parsesGoStyleDurationsAndRoundsUpToWholeSeconds() {
        assertThat(GoDurations.toWholeSeconds("3s")).isEqualTo(3);
        assertThat(GoDurations.toWholeSeconds("1m30s")).isEqualTo(90);
        assertThat(GoDurations.toWholeSeconds("500ms")).isEqualTo(1);
        assertThat(GoDurations.toWholeSeconds("1h")).isEqualTo(3600);
        assertThat(GoDurations.toWholeSeconds("1.5s")).isEqualTo(2);
    }

    @Test
    void writesSecondsBackInTheShortestForm() {
        assertThat(GoDurations.ofSeconds(3)).isEqualTo("3s");
        assertThat(GoDurations.ofSeconds(120)).isEqualTo("2m");
        assertThat(GoDurations.ofSeconds(7200)).isEqualTo("2h");
        assertThat(GoDurations.ofSeconds(90)).isEqualTo("90s");
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> GoDurations.parse("3")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> GoDurations.parse("3s junk")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> GoDurations.parse("1h30mfoo")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> GoDurations.parse("")).hasMessageContaining("not a duration");
    }
}
