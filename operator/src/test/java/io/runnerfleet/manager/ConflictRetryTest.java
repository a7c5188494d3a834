package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConflictRetryTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final ConflictRetry retry = new ConflictRetry(pauses::add);

    @Test
    void aWriteAnsweredConflictIsSentAgainWithGitLabRunnersBackoffUntilTaken() {
        AtomicInteger calls = new AtomicInteger();

        String answer = retry.write(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw failure(409);
            }
            return "taken";
        });

        assertThat(answer).isEqualTo("taken");
        assertThat(calls).hasValue(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void aWriteStillConflictingAfterEveryAttemptFailsWithTheConflict() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.write(() -> {
                    calls.incrementAndGet();
                    throw failure(409);
                }))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(calls).hasValue(ConflictRetry.ATTEMPTS);
        assertThat(pauses)
                .containsExactly(
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void anotherFailureIsNotSentAgain() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.write(() -> {
                    calls.incrementAndGet();
                    throw failure(422);
                }))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    private static KubernetesClientException failure(int code) {
        return new KubernetesClientException(new StatusBuilder()
                .withCode(code)
                .withMessage("Operation cannot be fulfilled")
                .build());
    }
}
