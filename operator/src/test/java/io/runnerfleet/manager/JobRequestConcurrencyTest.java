package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Several job requests in flight ({@code request_concurrency}) with and without GitLab long polling: a job queued
 * while every request is held is picked up without waiting {@code check_interval}, and an idle GitLab is not asked
 * in a loop.
 */
class JobRequestConcurrencyTest {
    /** Far longer than the waits below: a job that waited for it would fail the test. */
    private static final int CHECK_INTERVAL_SECONDS = 120;

    @Test
    void withLongPollingAJobQueuedLaterIsPickedUpWithoutWaitingCheckInterval() throws Exception {
        try (BenchStand stand = new BenchStand(Duration.ofSeconds(60))) {
            stand.quickJobs();
            stand.startManager(
                    "shop-manager-rc",
                    stand.config(10, CHECK_INTERVAL_SECONDS, 4096, 4),
                    BenchStand.productionOptions());
            await().atMost(Duration.ofSeconds(20)).until(() -> stand.gitlab().heldPolls() == 4);
            for (int i = 0; i < 3; i++) {
                long id = stand.gitlab().enqueue(TestJob.builder().build());
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> stand.gitlab().state(id) == TestGitLab.State.SUCCESS);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> stand.gitlab().heldPolls() == 4);
        }
    }

    @Test
    void withoutLongPollingAnIdleGitLabIsAskedOncePerRequestAndCheckInterval() throws Exception {
        try (BenchStand stand = new BenchStand(Duration.ZERO)) {
            stand.startManager(
                    "shop-manager-rc",
                    stand.config(10, CHECK_INTERVAL_SECONDS, 4096, 4),
                    BenchStand.productionOptions());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stand.gitlab().requests("request_job").size() >= 4);
            Thread.sleep(2_000);
            // Each request: the first ask (no last_update) and one more with the value GitLab sent, then the pause.
            assertThat(stand.gitlab().requests("request_job")).hasSizeLessThanOrEqualTo(8);
        }
    }
}
