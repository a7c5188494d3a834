package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's exit code read after its log ended, from an informer view that may lag behind the log. */
class BuildExitTest {
    private Instant now = Instant.parse("2026-12-03T17:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private static Pod running() {
        return new PodBuilder()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("build")
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Pod exited(int code) {
        return new PodBuilder()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("build")
                .withNewState()
                .withNewTerminated()
                .withExitCode(code)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private boolean succeeded(List<Pod> views) {
        Deque<Pod> queue = new ArrayDeque<>(views);
        return BuildExit.succeeded(
                () -> queue.size() > 1 ? queue.poll() : queue.peek(),
                clock,
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                () -> false,
                d -> now = now.plus(d));
    }

    @Test
    void aViewThatShowsTheBuildTerminatedOnlyLaterIsWaitedFor() {
        assertThat(succeeded(List.of(running(), running(), exited(0)))).isTrue();
        assertThat(succeeded(List.of(running(), exited(1)))).isFalse();
    }

    @Test
    void aBuildNeverShownTerminatedCountsAsFailedAfterTheSettleTime() {
        Instant start = now;

        assertThat(succeeded(List.of(running()))).isFalse();
        assertThat(Duration.between(start, now)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }
}
