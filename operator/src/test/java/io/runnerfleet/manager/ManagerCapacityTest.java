package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** concurrent, several managers on one queue, an unreliable GitLab, and what the manager's logs never contain. */
class ManagerCapacityTest {
    private ManagerHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void thirtyQueuedJobsWithConcurrentTenNeverRunMoreThanTenPodsAndAllFinish() {
        harness = new ManagerHarness();
        harness.kubelet.defaultScenario(Scenarios.exits(0));
        LongStream.rangeClosed(301, 330)
                .forEach(id -> harness.gitlab.enqueue(TestJob.builder(id).build()));
        harness.startManager("shop-manager-a", harness.config(10));

        LongStream.rangeClosed(301, 330).forEach(id -> harness.awaitDone(id, Duration.ofSeconds(90)));

        LongStream.rangeClosed(301, 330).forEach(id -> {
            assertThat(harness.gitlab.state(id)).as("job %d", id).isEqualTo(TestGitLab.State.SUCCESS);
            assertThat(harness.gitlab.job(id).finalUpdates()).isEqualTo(1);
        });
        assertThat(harness.kubelet.mostJobPodsAtOnce()).isLessThanOrEqualTo(10).isGreaterThan(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void twoManagersOnOneQueueNeverRunAJobTwice() {
        harness = new ManagerHarness();
        LongStream.rangeClosed(401, 420)
                .forEach(id -> harness.gitlab.enqueue(TestJob.builder(id).build()));
        RunnerManager a = harness.startManager("shop-manager-a", harness.config(5));
        RunnerManager b = harness.startManager("shop-manager-b", harness.config(5));

        LongStream.rangeClosed(401, 420).forEach(id -> harness.awaitDone(id, Duration.ofSeconds(90)));

        LongStream.rangeClosed(401, 420).forEach(id -> {
            assertThat(harness.gitlab.job(id).finalUpdates()).as("job %d", id).isEqualTo(1);
            assertThat(harness.gitlab.state(id)).isEqualTo(TestGitLab.State.SUCCESS);
        });
        // A manager counts a job once it has also cleaned up its pod, which is after GitLab saw the final
        // update: wait for the last clean-ups instead of reading the counters at the moment GitLab is done.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jobsCounted(a, "shop-manager-a") + jobsCounted(b, "shop-manager-b"))
                        .isEqualTo(20));
    }

    private static double jobsCounted(RunnerManager manager, String podName) {
        return manager.metrics()
                .registry()
                .family("gitlab_runner_jobs_total")
                .value("t1_TestRu", ManagerHarness.FLEET, ManagerIdentity.systemIdFor(podName));
    }

    @Test
    void anUnreliableGitLabStillGetsEveryFinalStatusAndCompleteTrace() {
        // Issue #18's mix (5xx, 429, resets, stalls, 416, 409) on every runner API endpoint. A plan without
        // endpoints injects nothing: the last assertion shows this one did.
        harness = new ManagerHarness(b -> b.faults(FaultPlan.unreliableGitLab(42, 0.2, Duration.ofSeconds(1), 1)));
        LongStream.rangeClosed(501, 506)
                .forEach(id -> harness.gitlab.enqueue(TestJob.builder(id).build()));
        harness.startManager("shop-manager-a", harness.config(6));

        LongStream.rangeClosed(501, 506).forEach(id -> harness.awaitDone(id, Duration.ofMinutes(2)));

        LongStream.rangeClosed(501, 506).forEach(id -> {
            assertThat(harness.gitlab.job(id).finalUpdates()).as("job %d", id).isEqualTo(1);
            assertThat(harness.gitlab.state(id)).isEqualTo(TestGitLab.State.SUCCESS);
            assertThat(harness.gitlab.traceText(id))
                    .contains(
                            "Running with runner-fleet",
                            "ok  shop/pay",
                            "done without newline",
                            "Uploading artifacts",
                            "Job succeeded");
        });
        assertThat(harness.gitlab.requests())
                .anySatisfy(r -> assertThat(r.fault()).isNotEqualTo(FaultPlan.Fault.NONE));
    }

    @Test
    void aTokenNeverAppearsInTheManagersLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ch.qos.logback.classic.Level before = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            harness = new ManagerHarness();
            harness.kubelet.scenario(602, Scenarios.exits(1));
            TestJob job = TestJob.builder(601)
                    .variable("API_KEY", "glpat-abcdefghij0123456789", false, true)
                    .build();
            harness.gitlab.enqueue(job);
            harness.gitlab.enqueue(TestJob.builder(602).build());
            harness.startManager("shop-manager-a");
            harness.awaitDone(601, Duration.ofSeconds(30));
            harness.awaitDone(602, Duration.ofSeconds(30));
        } finally {
            root.detachAppender(captured);
            root.setLevel(before);
        }
        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String line = event.getFormattedMessage() + " " + event.getMDCPropertyMap();
            assertThat(line)
                    .doesNotContain(TestGitLab.RUNNER_TOKEN)
                    .doesNotContain("TestJobToken")
                    .doesNotContain("glpat-abcdefghij0123456789");
        }
    }
}
