package io.runnerfleet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesGoStyleDurationsAndRoundsUpToWholeSeconds() {
        assertThat(Durations.toWholeSeconds("3s")).isEqualTo(3);
        assertThat(Durations.toWholeSeconds("1m30s")).isEqualTo(90);
        assertThat(Durations.toWholeSeconds("500ms")).isEqualTo(1);
        assertThat(Durations.toWholeSeconds("1h")).isEqualTo(3600);
        assertThat(Durations.toWholeSeconds("1.5s")).isEqualTo(2);
    }

    @Test
    void writesSecondsBackInTheShortestForm() {
        assertThat(Durations.ofSeconds(3)).isEqualTo("3s");
        assertThat(Durations.ofSeconds(120)).isEqualTo("2m");
        assertThat(Durations.ofSeconds(7200)).isEqualTo("2h");
        assertThat(Durations.ofSeconds(90)).isEqualTo("90s");
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> Durations.parse("3")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("3s junk")).hasMessageContaining("not a duration");
    }
}
