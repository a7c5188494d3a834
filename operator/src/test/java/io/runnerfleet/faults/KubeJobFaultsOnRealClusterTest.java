package io.runnerfleet.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.External;
import org.junit.jupiter.api.Test;

/**
 * {@code faults/run kube-jobs} at its tiny size ({@link KubeJobsSize#tiny()}): runner managers whose API calls go
 * through the fault proxy to the real cluster's API server, an outage while builds run. Its goals, which hold at any
 * size: no job lost, none run twice, every trace complete, nothing of the fleet left behind. Never a time. Apart
 * from {@link FaultsSmokeTest} because it needs the real cluster's tier (its lock, its node).
 */
@External.RealCluster
class KubeJobFaultsOnRealClusterTest {
    @Test
    void managersBehindAnUnreliableApiServerLoseNoJobRunNoneTwiceAndLeaveNothingBehind() throws Exception {
        KubeJobsSize tiny = KubeJobsSize.tiny();

        KubeJobsResult r = KubeJobFaults.run(tiny);

        assertThat(r.injectedErrors() + r.injectedConflicts() + r.delayed())
                .as("faults injected")
                .isPositive();
        assertThat(r.refused()).as("calls refused in the outage").isPositive();
        assertThat(r.started()).as("jobs started").isEqualTo(tiny.jobs());
        assertThat(r.finished()).as("jobs finished").isEqualTo(tiny.jobs());
        assertThat(r.lost()).as("jobs lost").isZero();
        assertThat(r.twice()).as("jobs run or reported twice").isZero();
        assertThat(r.incomplete()).as("traces incomplete").isZero();
        assertThat(r.orphaned()).as("Job Pods and job Secrets left").isZero();
    }

    @Test
    void aTraceIsCompleteWithEveryTickOnceInOrderAndJobSucceededLast() {
        String complete = "$ for i in ...\ntick-1\ntick-2\ntick-3\nJob succeeded\u001b[0;m\n";

        assertThat(KubeJobsRun.complete(complete, 3)).isTrue();
        assertThat(KubeJobsRun.complete(complete.replace("tick-2\n", ""), 3))
                .as("a tick lost")
                .isFalse();
        assertThat(KubeJobsRun.complete(complete.replace("tick-2\n", "tick-2\ntick-2\n"), 3))
                .as("a tick twice")
                .isFalse();
        assertThat(KubeJobsRun.complete(complete.replace("tick-2\ntick-3\n", "tick-3\ntick-2\n"), 3))
                .as("out of order")
                .isFalse();
        assertThat(KubeJobsRun.complete(complete + "more\n", 3))
                .as("not ending with Job succeeded")
                .isFalse();
    }
}
