package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunnerHealthTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void threeUnhealthyRequestsInARowDisableTheRunnerForTheIntervalSinceItWasLastHealthy() {
        RunnerHealth health = new RunnerHealth(3, Duration.ofMinutes(60), T0);
        assertThat(health.mark(false, T0.plusSeconds(1))).isFalse();
        assertThat(health.mark(false, T0.plusSeconds(2))).isFalse();
        assertThat(health.mayRequest(T0.plusSeconds(3))).isTrue();
        assertThat(health.mark(false, T0.plusSeconds(3))).isTrue();
        assertThat(health.mayRequest(T0.plusSeconds(4))).isFalse();
        assertThat(health.mayRequest(T0.plus(Duration.ofMinutes(60)))).isFalse();
        assertThat(health.mayRequest(T0.plus(Duration.ofMinutes(60)).plusSeconds(1)))
                .isTrue();
        assertThat(health.failures()).isZero();
    }

    @Test
    void aHealthyAnswerClearsTheCount() {
        RunnerHealth health = new RunnerHealth(3, Duration.ofMinutes(60), T0);
        health.mark(false, T0);
        health.mark(false, T0);
        health.mark(true, T0.plusSeconds(5));
        health.mark(false, T0.plusSeconds(6));
        health.mark(false, T0.plusSeconds(7));
        assertThat(health.mayRequest(T0.plusSeconds(8))).isTrue();
    }
}
