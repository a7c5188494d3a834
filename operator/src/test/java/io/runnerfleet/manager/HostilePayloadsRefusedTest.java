package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.testing.HostilePayloads;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each refused {@link HostilePayloads} payload, handed out by GitLab to a running manager, fails the job before any
 * pod or Secret exists: a trace line says why in the job's words, and GitLab gets a failure reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePayloadsRefusedTest {
    private static final AtomicLong IDS = new AtomicLong(7100);
    private ManagerHarness harness;

    @BeforeAll
    void startManager() {
        harness = new ManagerHarness();
        harness.startManager("shop-manager-a");
    }

    @AfterAll
    void close() {
        harness.close();
    }

    static Stream<HostilePayloads.Payload> refused() {
        return HostilePayloads.refused();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void failsTheJobBeforeAnyPodWithATraceLineAndAReason(HostilePayloads.Payload payload) {
        long id = IDS.incrementAndGet();
        ObjectNode job = TestJob.builder(id).build().node();
        payload.edit().accept(job, "touch /tmp/runner-fleet-canary-" + id);
        int requestsBefore = harness.kube.requests().size();

        harness.gitlab.enqueue(job.toString());
        harness.awaitDone(id, Duration.ofSeconds(30));

        TestGitLab.JobView view = harness.gitlab.job(id);
        assertThat(view.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(view.failureReason()).isIn("runner_configuration_error", "runner_system_failure");
        assertThat(harness.gitlab.traceText(id)).contains("ERROR").contains(payload.refusal());
        // One snapshot: the managers' background calls (informers, Leases) keep adding requests meanwhile.
        var requests = harness.kube.requests();
        assertThat(requests.subList(requestsBefore, requests.size()))
                .as("no pod and no Secret was created")
                .noneMatch(r -> r.method().equals("POST")
                        && (r.path().contains("/pods") || r.path().contains("/secrets")));
    }
}
