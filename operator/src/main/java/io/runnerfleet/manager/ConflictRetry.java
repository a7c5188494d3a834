package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sends a write that carries no resourceVersion (a JSON merge patch) again when the API server answers 409 Conflict.
 * Such a write has no precondition to lose, so a 409 only says the server could not apply it this time (its own
 * optimistic update lost a race, or a proxy in front of it refused); once the write is taken it holds whatever
 * happened in between. fabric8's client retries 5xx and 429 by itself but not 409, and one such 409 used to fail a
 * job before its pod was made ({@code faults/run kube-jobs}). Attempts and back-off are gitlab-runner's defaults for
 * its Kubernetes API calls ({@code common/config.go}: {@code retry_limit} 5, back-off from 500 ms up to
 * {@code retry_backoff_max} 2000 ms). A write with a resourceVersion (a claim, {@link ManagerClaim}) never comes
 * here: its 409 is the answer.
 */
final class ConflictRetry {
    static final int ATTEMPTS = 5;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** Waits between attempts; a test passes one that does not sleep. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Pause pause;

    ConflictRetry(Pause pause) {
        this.pause = pause;
    }

    static ConflictRetry sleeping() {
        return new ConflictRetry(d -> Thread.sleep(d.toMillis()));
    }

    /** The write's answer; its last 409 after {@link #ATTEMPTS}, or any other failure at once. */
    <T> T write(Supplier<T> write) {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
            try {
                pause.pause(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KubernetesClientException("interrupted while retrying a write answered 409", e);
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }
}
