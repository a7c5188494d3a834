package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.gitlab.client.JobRequestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitLabContactTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));

    @Test
    void reachableUntilThreeCheckIntervalsPassWithoutAnAnswer() {
        contact.verified("2026-12-10T10:00:00.000Z", T0);
        contact.requested(new JobRequestResult.NoJob(null), T0.plusSeconds(1));
        contact.requested(new JobRequestResult.Failed(503, "503 Service Unavailable", true, null), T0.plusSeconds(2));
        contact.requested(new JobRequestResult.Failed(0, "connect timed out", false, null), T0.plusSeconds(3));

        Map<String, String> atNine = contact.report(T0.plusSeconds(4));
        Map<String, String> atEleven = contact.report(T0.plusSeconds(12));

        assertThat(atNine)
                .containsEntry(ManagerReport.REACHABLE, "true")
                .containsEntry(ManagerReport.TOKEN_EXPIRES_AT, "2026-12-10T10:00:00.000Z")
                .containsEntry(ManagerReport.TOKEN_REJECTED, "false");
        assertThat(atEleven)
                .containsEntry(ManagerReport.REACHABLE, "false")
                .containsEntry(ManagerReport.SINCE, T0.plusSeconds(12).toString())
                .containsEntry(ManagerReport.LAST_ERROR, "connect timed out");
    }

    @Test
    void anyAnsweredCallKeepsGitLabReachableWhileNoJobIsRequested() {
        contact.requested(new JobRequestResult.NoJob(null), T0);
        contact.answered(T0.plusSeconds(20));

        assertThat(contact.report(T0.plusSeconds(25))).containsEntry(ManagerReport.REACHABLE, "true");
    }

    @Test
    void aFullQuotaIsReportedUntilTheNextCheckFindsRoom() {
        contact.requested(new JobRequestResult.NoJob(null), T0);
        assertThat(contact.report(T0)).doesNotContainKey(ManagerReport.CAPACITY_LIMITED);

        contact.capacity("ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1", T0.plusSeconds(1));
        assertThat(contact.report(T0.plusSeconds(1)))
                .containsEntry(
                        ManagerReport.CAPACITY_LIMITED,
                        "ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1");

        contact.capacity(null, T0.plusSeconds(2));
        assertThat(contact.report(T0.plusSeconds(2))).doesNotContainKey(ManagerReport.CAPACITY_LIMITED);
    }

    @Test
    void whileAFullQuotaKeepsTheManagerFromAskingGitLabStaysAsReachableAsWhenItStopped() {
        contact.requested(new JobRequestResult.NoJob(null), T0);
        contact.capacity("ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1", T0.plusSeconds(1));
        contact.capacity("ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1", T0.plusSeconds(50));

        // Three check intervals (9 s) long passed without a request: not asked is not unreachable.
        assertThat(contact.report(T0.plusSeconds(60))).containsEntry(ManagerReport.REACHABLE, "true");

        contact.capacity(null, T0.plusSeconds(61));
        assertThat(contact.report(T0.plusSeconds(62)))
                .as("asking again: the first request gets three check intervals, as any")
                .containsEntry(ManagerReport.REACHABLE, "true");
        assertThat(contact.report(T0.plusSeconds(71)))
                .as("asking again, with no answer for three check intervals")
                .containsEntry(ManagerReport.REACHABLE, "false");

        GitLabContact silent = new GitLabContact(Duration.ofSeconds(3));
        silent.requested(new JobRequestResult.NoJob(null), T0);
        silent.capacity("ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1", T0.plusSeconds(20));
        assertThat(silent.report(T0.plusSeconds(30)))
                .as("skipping began after GitLab had gone quiet")
                .containsEntry(ManagerReport.REACHABLE, "false");
    }

    @Test
    void sinceMovesOnlyWhenReachabilityChanges() {
        contact.requested(new JobRequestResult.NoJob(null), T0);
        Map<String, String> first = contact.report(T0);
        contact.requested(new JobRequestResult.NoJob(null), T0.plusSeconds(5));
        Map<String, String> second = contact.report(T0.plusSeconds(6));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void aRefusedTokenIsReportedUntilGitLabTakesItAgain() {
        contact.requested(new JobRequestResult.Forbidden("403 Forbidden", null), T0);
        assertThat(contact.report(T0)).containsEntry(ManagerReport.TOKEN_REJECTED, "true");

        contact.requested(new JobRequestResult.NoJob(null), T0.plusSeconds(1));
        assertThat(contact.report(T0.plusSeconds(1))).containsEntry(ManagerReport.TOKEN_REJECTED, "false");
    }

    @Test
    void aLongErrorIsCutToOneShortLine() {
        contact.unreachable("a\nb " + "x".repeat(500));

        assertThat(contact.report(T0).get(ManagerReport.LAST_ERROR))
                .hasSize(200)
                .startsWith("a b x")
                .endsWith("...");
    }

    @Test
    void aBackOffIsReportedUntilItEnds() {
        contact.requested(new JobRequestResult.Forbidden("403 Forbidden", null), T0);
        contact.backingOff(T0.plus(Duration.ofHours(1)), 3);

        assertThat(contact.report(T0.plusSeconds(10)))
                .containsEntry(
                        ManagerReport.BACKOFF_UNTIL,
                        T0.plus(Duration.ofHours(1)).toString())
                .containsEntry(ManagerReport.BACKOFF_FAILURES, "3");
        assertThat(contact.report(T0.plus(Duration.ofHours(1))))
                .doesNotContainKeys(ManagerReport.BACKOFF_UNTIL, ManagerReport.BACKOFF_FAILURES);

        contact.backingOff(T0.plus(Duration.ofHours(2)), 3);
        contact.requested(new JobRequestResult.NoJob(null), T0.plus(Duration.ofHours(1)));
        assertThat(contact.report(T0.plus(Duration.ofHours(1)))).doesNotContainKey(ManagerReport.BACKOFF_UNTIL);
    }

    @Test
    void aPausedManagerAsksNothingAndStaysAsReachableAsWhenThePauseBegan() {
        contact.requested(new JobRequestResult.NoJob(null), T0);
        contact.paused(true, T0.plusSeconds(1));

        assertThat(contact.report(T0.plusSeconds(600)))
                .as("ten minutes paused, no request: not asked is not unreachable")
                .containsEntry(ManagerReport.REACHABLE, "true");

        contact.paused(false, T0.plusSeconds(601));
        assertThat(contact.report(T0.plusSeconds(605))).containsEntry(ManagerReport.REACHABLE, "true");
        assertThat(contact.report(T0.plusSeconds(611)))
                .as("resumed and unanswered for three check intervals")
                .containsEntry(ManagerReport.REACHABLE, "false");

        GitLabContact both = new GitLabContact(Duration.ofSeconds(3));
        both.requested(new JobRequestResult.NoJob(null), T0);
        both.paused(true, T0.plusSeconds(1));
        both.capacity("ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1", T0.plusSeconds(2));
        both.paused(false, T0.plusSeconds(100));
        assertThat(both.report(T0.plusSeconds(200)))
                .as("still quiet: the quota is full")
                .containsEntry(ManagerReport.REACHABLE, "true");
    }
}
