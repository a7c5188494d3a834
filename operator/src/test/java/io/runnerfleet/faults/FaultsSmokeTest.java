package io.runnerfleet.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.External;
import org.junit.jupiter.api.Test;

/**
 * Runs each fault scenario of {@code faults/run} at a tiny size so that it keeps working, and asserts its goals,
 * which hold at any size: nothing lost, nothing run or reported twice, every final status delivered once, every
 * trace complete. Never a time.
 */
class FaultsSmokeTest {
    @Test
    void anUnreliableGitLabGetsEveryStatusOnceAndEveryTraceComplete() throws Exception {
        FaultSize tiny = FaultSize.tiny();

        GitLabFaults.Comparison c = GitLabFaults.compare(tiny);

        assertThat(c.faulty().injected().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .as("faults injected")
                .isPositive();
        assertThat(c.reference().jobs().values())
                .as("the reference run")
                .allSatisfy(job -> assertThat(job.finalUpdates()).isEqualTo(1));
        assertThat(c.lost()).as("jobs lost").isZero();
        assertThat(c.twice()).as("jobs run or reported twice").isZero();
        assertThat(c.statusOnce()).as("final status delivered once").isEqualTo(tiny.gitlabJobs());
        assertThat(c.tracesEqual())
                .as("traces equal to the reference; differing: %s", c.differing())
                .isEqualTo(tiny.gitlabJobs());
    }

    /** The operator behind the fault proxy on the real API server: every fleet converges, under faults and after. */
    @Test
    @External.ApiServer
    void theOperatorConvergesEveryFleetUnderApiFaultsAndAfterAnOutage() throws Exception {
        FaultSize tiny = FaultSize.tiny();

        KubeFaults.Run run = KubeFaults.run(tiny);

        assertThat(run.convergedUnderFaults()).as("converged under faults").isEqualTo(tiny.kubeFleets());
        assertThat(run.refused()).as("calls refused in the outage").isPositive();
        assertThat(run.convergedAfterOutage()).as("converged after the outage").isEqualTo(tiny.kubeFleets());
    }

    @Test
    void sectionTimestampsAreTheOnlyPartOfATraceIgnored() {
        String a = "\u001b[0Ksection_start:1764700000:prepare_script\r\u001b[0Khello\n";
        String b = "\u001b[0Ksection_start:1764700042:prepare_script\r\u001b[0Khello\n";

        assertThat(GitLabRun.withoutSectionTimes(a)).isEqualTo(GitLabRun.withoutSectionTimes(b));
        assertThat(GitLabRun.withoutSectionTimes(a)).isNotEqualTo(GitLabRun.withoutSectionTimes(b + "x"));
    }
}
