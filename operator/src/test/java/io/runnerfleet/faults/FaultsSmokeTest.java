package io.runnerfleet.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The soak at ~50 jobs: three manager processes, one SIGKILLed once its peers have finished a job and started
     * again as a new pod (so the peers adopt its Job Pods when its Lease expires), on the real API server with the
     * kubelet stand-in (the managers' log reads go through the API server to a node).
     */
    @Test
    @External.Jvm
    @External.ApiServer
    void aFleetLosesNoJobRunsNoneTwiceAndCompletesEveryTraceWhileAManagerIsKilled() throws Exception {
        SoakSize tiny = SoakSize.tiny();
        assertThat(tiny.api()).isEqualTo(SoakApi.REAL);

        SoakRun.Result r = Soak.run(tiny);

        assertThat(r.kills()).as("managers killed").isEqualTo(1);
        // Only a kill between GitLab's answer and the job's record (its first write) can lose a job (for gitlab-runner
        // too: nothing of it exists outside the dead process); whether the kill lands in that window is chance, so it
        // is a figure (soak_jobs_lost_before_their_record). Every other job must survive: one whose record exists is
        // resumed by a peer, one whose pod exists is adopted.
        assertThat(r.lost() - r.lostBeforeRecord())
                .as("jobs lost after their record was written")
                .isZero();
        assertThat(r.twice()).as("jobs run or reported twice").isZero();
        assertThat(r.incomplete()).as("traces incomplete").isZero();
        assertThat(r.kubeRequests())
                .as("the managers' API requests, told apart by User-Agent")
                .isPositive();
        assertThat(r.survivorLiveHeap().size()).as("memory readings").isPositive();
    }

    @Test
    void aSoakApiOtherThanRealOrMockIsRefusedNamingTheOptionAndItsValues() {
        assertThat(SoakApi.parse("real")).isEqualTo(SoakApi.REAL);
        assertThat(SoakApi.parse("mock")).isEqualTo(SoakApi.MOCK);
        assertThatThrownBy(() -> SoakApi.parse("kind"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--soak-api=kind")
                .hasMessageContaining("--soak-api=real")
                .hasMessageContaining("--soak-api=mock");
    }

    @Test
    void aTraceIsCompleteWithEveryLineOnceAndJobSucceededLast() {
        String complete = String.join("\n", SoakRun.JOB_LINES) + "\u001b[0;m\n";

        assertThat(SoakRun.complete(complete)).isTrue();
        assertThat(SoakRun.complete(complete.replace("ok  shop/pay\n", "")))
                .as("a line lost")
                .isFalse();
        assertThat(SoakRun.complete(complete.replace("ok  shop/pay", "ok  shop/pay\nok  shop/pay")))
                .as("a line twice")
                .isFalse();
        assertThat(SoakRun.complete(complete + "more\n"))
                .as("not ending with Job succeeded")
                .isFalse();
    }

    @Test
    void memoryIsFlatWhenTheLastTenthIsWithinTenPercentOfTheFirst() {
        MemorySeries flat = new MemorySeries();
        MemorySeries grows = new MemorySeries();
        for (int i = 0; i < 20; i++) {
            flat.add(100 + (i % 2) * 5);
            grows.add(100 + i * 2);
        }

        assertThat(flat.flat()).isTrue();
        assertThat(grows.ratio()).isCloseTo(137.0 / 101, org.assertj.core.data.Offset.offset(0.001));
        assertThat(grows.flat()).isFalse();
    }

    @Test
    void sectionTimestampsAreTheOnlyPartOfATraceIgnored() {
        String a = "\u001b[0Ksection_start:1764700000:prepare_script\r\u001b[0Khello\n";
        String b = "\u001b[0Ksection_start:1764700042:prepare_script\r\u001b[0Khello\n";

        assertThat(GitLabRun.withoutSectionTimes(a)).isEqualTo(GitLabRun.withoutSectionTimes(b));
        assertThat(GitLabRun.withoutSectionTimes(a)).isNotEqualTo(GitLabRun.withoutSectionTimes(b + "x"));
    }
}
