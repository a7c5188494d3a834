package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerFleetStatus;
import io.runnerfleet.api.v1alpha1.SecretKeyRef;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.diagnostics.FleetDiagnostics;
import io.runnerfleet.testing.ExplainWarnings;
import io.runnerfleet.validation.FleetLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");
    private static final TokenSecretCheck TOKEN =
            new TokenSecretCheck(TokenSecretCheck.State.FOUND, "ci", "build-fleet-token", "token", List.of("token"));

    @Test
    void countsCapacityAndManagersFromSpecAndDeployment() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation(3, rollout(2, 3), TOKEN), T0);

        assertThat(status.observedGeneration()).isEqualTo(4);
        assertThat(status.replicas()).isEqualTo(3);
        assertThat(status.readyManagers()).isEqualTo(2);
        assertThat(status.managers()).isEqualTo("2/3");
        assertThat(status.capacity()).isEqualTo(30);
        assertThat(status.runningJobs()).isEqualTo(7);
        assertThat(status.configHash()).isEqualTo("abc");
        assertThat(status.conditions())
                .extracting(FleetCondition::type)
                .containsExactly(
                        "Ready",
                        "Progressing",
                        "Degraded",
                        "TokenSecretFound",
                        "Diagnostics",
                        "GitLabReachable",
                        "AcceptingJobs",
                        "TokenExpiring",
                        "CapacityLimited");
        assertThat(condition(status, "Ready").status()).isEqualTo("False");
        assertThat(condition(status, "Ready").reason()).isEqualTo("ManagersNotReady");
        assertThat(condition(status, "Progressing").reason()).isEqualTo("RollingOut");
        assertThat(status.conditions())
                .allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(4));
    }

    @Test
    void allManagersReadyAndUpdatedIsReadyAndRolledOut() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation(3, rollout(3, 3), TOKEN), T0);

        assertThat(condition(status, "Ready"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "ManagersReady");
        assertThat(condition(status, "Progressing"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "RolledOut");
        assertThat(condition(status, "Degraded").status()).isEqualTo("False");
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenTheStatusChanges() {
        RunnerFleetStatus first = FleetStatusAggregator.aggregate(null, observation(3, rollout(1, 3), TOKEN), T0);
        RunnerFleetStatus sameStatusNewMessage =
                FleetStatusAggregator.aggregate(first, observation(3, rollout(2, 3), TOKEN), T1);
        RunnerFleetStatus flipped =
                FleetStatusAggregator.aggregate(sameStatusNewMessage, observation(3, rollout(3, 3), TOKEN), T1);

        assertThat(condition(sameStatusNewMessage, "Ready").message()).startsWith("2/3");
        assertThat(condition(sameStatusNewMessage, "Ready").lastTransitionTime())
                .isEqualTo("2026-01-01T10:00:00Z");
        assertThat(condition(flipped, "Ready").lastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(condition(flipped, "TokenSecretFound").lastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void sameObservationGivesAnEqualStatusSoNothingIsWritten() {
        FleetObservation observation = observation(3, rollout(3, 3), TOKEN);
        RunnerFleetStatus first = FleetStatusAggregator.aggregate(null, observation, T0);

        assertThat(FleetStatusAggregator.aggregate(first, observation, T1)).isEqualTo(first);
    }

    @Test
    void invalidSpecSaysWhatIsWrongAndBlocksChanges() {
        FieldProblem problem = new FieldProblem(
                "spec.executor.build.cpuRequest",
                "4 is above spec.executor.build.cpuLimit (2); Kubernetes rejects such a pod. Lower the request or "
                        + "raise the limit");
        FleetObservation observation = new FleetObservation(
                "build-fleet",
                "ci",
                4,
                3,
                10,
                List.of(problem),
                TOKEN,
                rollout(3, 3),
                0,
                "abc",
                List.of(),
                ManagerReports.none(),
                FleetStatusAggregator.DEFAULT_TOKEN_EXPIRY_WARNING,
                false);

        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation, T0);

        assertThat(condition(status, "Degraded"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "InvalidSpec");
        assertThat(condition(status, "Degraded").message()).contains(problem.toString(), "Fix the fleet's spec");
        assertThat(condition(status, "Ready"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "InvalidSpec");
        assertThat(condition(status, "Ready").message()).contains("3/3 managers ready, running the last valid spec");
        assertThat(condition(status, "Progressing").reason()).isEqualTo("Blocked");
    }

    @Test
    void missingSecretAndMissingKeyTellHowToFixThem() {
        TokenSecretCheck missing = TokenSecretCheck.of(null, "ci", new SecretKeyRef("fleet-token", "token"));
        RunnerFleetStatus status =
                FleetStatusAggregator.aggregate(null, observation(3, ManagerRollout.ABSENT, missing), T0);

        assertThat(condition(status, "TokenSecretFound"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "SecretNotFound");
        assertThat(condition(status, "TokenSecretFound").message())
                .contains("kubectl create secret generic fleet-token -n ci --from-literal=token=");
        assertThat(condition(status, "Degraded").reason()).isEqualTo("TokenSecretMissing");
        assertThat(condition(status, "Ready").message()).contains("no managers were created");

        TokenSecretCheck noKey = new TokenSecretCheck(
                TokenSecretCheck.State.KEY_MISSING, "ci", "fleet-token", "token", List.of("runner-token"));
        RunnerFleetStatus keyStatus =
                FleetStatusAggregator.aggregate(status, observation(3, ManagerRollout.ABSENT, noKey), T1);
        assertThat(condition(keyStatus, "TokenSecretFound").reason()).isEqualTo("KeyNotFound");
        assertThat(condition(keyStatus, "TokenSecretFound").message()).contains("its keys: runner-token");
        assertThat(condition(keyStatus, "TokenSecretFound").lastTransitionTime())
                .isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void zeroReplicasIsReadyWithNoCapacity() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation(0, rollout(0, 0), TOKEN), T0);

        assertThat(status.capacity()).isZero();
        assertThat(status.managers()).isEqualTo("0/0");
        assertThat(condition(status, "Ready"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "ScaledToZero");
    }

    @Test
    void aDeploymentRunningAnOlderConfigIsStillRollingOut() {
        ManagerRollout oldConfig = new ManagerRollout(true, 3, 3, true, 3, "old");
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation(3, oldConfig, TOKEN), T0);

        assertThat(condition(status, "Progressing"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "RollingOut");
    }

    @Test
    void aMisconfiguredFleetCarriesExplainsWarningsInItsDiagnosticsCondition() {
        RunnerFleet fleet =
                new FleetLoader().load(ExplainWarnings.MISCONFIGURED_FLEET).get(0);
        List<String> diagnostics = FleetDiagnostics.of(fleet);
        RunnerFleetStatus status =
                FleetStatusAggregator.aggregate(null, observation(3, rollout(3, 3), TOKEN, diagnostics), T0);

        assertThat(diagnostics).singleElement().asString().startsWith("the Job Pods use cluster DNS (ClusterFirst)");
        assertThat(condition(status, "Diagnostics"))
                .extracting(FleetCondition::status, FleetCondition::reason, FleetCondition::message)
                .containsExactly("True", "MisconfigurationFound", ExplainWarnings.of(fleet));
        assertThat(condition(status, "Ready").status())
                .as("a warning does not make the fleet unready")
                .isEqualTo("True");
    }

    @Test
    void aWellConfiguredFleetHasNoDiagnostics() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation(3, rollout(3, 3), TOKEN), T0);

        assertThat(condition(status, "Diagnostics"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "NoneFound");
    }

    private static FleetObservation observation(int replicas, ManagerRollout rollout, TokenSecretCheck token) {
        return observation(replicas, rollout, token, List.of());
    }

    private static FleetObservation observation(
            int replicas, ManagerRollout rollout, TokenSecretCheck token, List<String> diagnostics) {
        return observation(replicas, rollout, token, diagnostics, ManagerReports.none());
    }

    private static FleetObservation observation(
            int replicas,
            ManagerRollout rollout,
            TokenSecretCheck token,
            List<String> diagnostics,
            ManagerReports gitlab) {
        return observation(
                replicas, rollout, token, diagnostics, gitlab, FleetStatusAggregator.tokenExpiryWarning(null));
    }

    private static FleetObservation observation(
            int replicas,
            ManagerRollout rollout,
            TokenSecretCheck token,
            List<String> diagnostics,
            ManagerReports gitlab,
            Duration tokenExpiryWarning) {
        return new FleetObservation(
                "build-fleet",
                "ci",
                4,
                replicas,
                10,
                List.of(),
                token,
                rollout,
                7,
                "abc",
                diagnostics,
                gitlab,
                tokenExpiryWarning,
                false);
    }

    private static FleetObservation reporting(ManagerReports.Report... reports) {
        return observation(3, rollout(3, 3), TOKEN, List.of(), new ManagerReports(List.of(reports)));
    }

    private static ManagerReports.Report report(
            String manager, boolean reachable, String error, boolean rejected, Instant expires) {
        return new ManagerReports.Report(manager, reachable, T0.minusSeconds(60), error, rejected, expires);
    }

    @Test
    void capacityLimitedIsTrueWhileAManagerReportsAFullQuotaNamingItAndFalseOtherwise() {
        ManagerReports.Report roomy = new ManagerReports.Report(
                "m-a", true, T0.minusSeconds(60), null, false, null, null, 0, null, null, null);
        ManagerReports.Report full = new ManagerReports.Report(
                "m-b",
                true,
                T0.minusSeconds(60),
                null,
                false,
                null,
                null,
                0,
                null,
                null,
                "ResourceQuota ci/compute: pods 3 of 3 in use, a Job Pod needs 1");

        RunnerFleetStatus limited = FleetStatusAggregator.aggregate(null, reporting(roomy, full), T0);
        assertThat(condition(limited, "CapacityLimited"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "QuotaFull");
        assertThat(condition(limited, "CapacityLimited").message())
                .startsWith("1 of 2 reporting managers ask for no job: ResourceQuota ci/compute: pods 3 of 3 in use")
                .contains("(m-b)");

        RunnerFleetStatus free = FleetStatusAggregator.aggregate(limited, reporting(roomy), T0.plusSeconds(30));
        assertThat(condition(free, "CapacityLimited"))
                .extracting(FleetCondition::status, FleetCondition::reason, FleetCondition::lastTransitionTime)
                .containsExactly(
                        "False", "CapacityAvailable", T0.plusSeconds(30).toString());
    }

    /** capacityAware: nodes: a manager finding no node with room makes the reason NodesFull, naming the node. */
    @Test
    void capacityLimitedIsNodesFullWhenAManagerFoundNoNodeWithRoom() {
        ManagerReports.Report full = new ManagerReports.Report(
                "m-a",
                true,
                T0.minusSeconds(60),
                null,
                false,
                null,
                null,
                0,
                null,
                null,
                "Nodes: no schedulable node has room for a Job Pod; closest: n1: cpu 1.8 of 2 requested, a Job Pod "
                        + "needs 0.5");

        RunnerFleetStatus limited = FleetStatusAggregator.aggregate(null, reporting(full), T0);
        assertThat(condition(limited, "CapacityLimited"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "NodesFull");
        assertThat(condition(limited, "CapacityLimited").message())
                .contains("closest: n1: cpu 1.8 of 2 requested")
                .contains("add nodes (or uncordon them)");
    }

    @Test
    void capacityLimitedSaysTheCheckIsOffWhenTheFleetTurnedItOff() {
        FleetObservation o = reporting(report("m-a", true, null, false, null));
        FleetObservation off = new FleetObservation(
                o.name(),
                o.namespace(),
                o.generation(),
                o.replicas(),
                o.concurrent(),
                o.specProblems(),
                o.token(),
                o.managers(),
                o.runningJobs(),
                o.configHash(),
                o.diagnostics(),
                o.gitlab(),
                o.tokenExpiryWarning(),
                false,
                true);

        assertThat(condition(FleetStatusAggregator.aggregate(null, off, T0), "CapacityLimited"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "CapacityCheckOff");
    }

    @Test
    void withoutManagerReportsGitLabConditionsAreUnknown() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(null, observation(3, rollout(3, 3), TOKEN), T0);

        for (String type : List.of("GitLabReachable", "AcceptingJobs", "TokenExpiring", "CapacityLimited")) {
            assertThat(condition(status, type))
                    .extracting(FleetCondition::status, FleetCondition::reason)
                    .containsExactly("Unknown", "NoManagerReport");
        }
    }

    @Test
    void oneManagerReachingGitLabIsEnough() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(
                null,
                reporting(
                        report("m-a", false, "503 Service Unavailable", false, null),
                        report("m-b", true, null, false, null)),
                T0);

        assertThat(condition(status, "GitLabReachable"))
                .extracting(FleetCondition::status, FleetCondition::reason, FleetCondition::message)
                .containsExactly(
                        "True",
                        "Reached",
                        "1 of 2 reporting managers reached GitLab's job API within three check intervals.");
    }

    @Test
    void noManagerReachingGitLabNamesTheLastError() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(
                null,
                reporting(
                        report("m-a", false, "connect timed out", false, null),
                        report("m-b", false, "503 Service Unavailable", false, null)),
                T0);

        FleetCondition reachable = condition(status, "GitLabReachable");
        assertThat(reachable.status()).isEqualTo("False");
        assertThat(reachable.reason()).isEqualTo("Unreachable");
        assertThat(reachable.message())
                .contains("connect timed out", "since " + T0.minusSeconds(60), "spec.gitlab.url");
        assertThat(condition(status, "AcceptingJobs").status()).isEqualTo("True");
    }

    @Test
    void aRefusedTokenStopsAcceptingJobsAndSaysWhereTheTokenGoes() {
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(
                null,
                reporting(
                        report("m-a", true, "403 Forbidden", true, null),
                        report("m-b", true, "403 Forbidden", true, null)),
                T0);

        FleetCondition accepting = condition(status, "AcceptingJobs");
        assertThat(accepting.status()).isEqualTo("False");
        assertThat(accepting.reason()).isEqualTo("TokenRejected");
        assertThat(accepting.message()).contains("403 Forbidden", "Secret " + TOKEN.name(), "key " + TOKEN.key());
    }

    @Test
    void aPausedFleetAcceptsNoJobsWhateverTheManagersReport() {
        FleetObservation accepting = reporting(report("m-a", true, null, false, null));
        FleetObservation paused = new FleetObservation(
                accepting.name(),
                accepting.namespace(),
                accepting.generation(),
                accepting.replicas(),
                accepting.concurrent(),
                accepting.specProblems(),
                accepting.token(),
                accepting.managers(),
                accepting.runningJobs(),
                accepting.configHash(),
                accepting.diagnostics(),
                accepting.gitlab(),
                accepting.tokenExpiryWarning(),
                true);

        RunnerFleetStatus before = FleetStatusAggregator.aggregate(null, accepting, T0);
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(before, paused, T1);

        assertThat(condition(status, "AcceptingJobs"))
                .extracting(FleetCondition::status, FleetCondition::reason, FleetCondition::lastTransitionTime)
                .containsExactly("False", "Paused", T1.toString());
        assertThat(condition(status, "AcceptingJobs").message()).contains("spec.paused", "running jobs finish");
        assertThat(condition(status, "Ready").status())
                .as("a pause is no fault")
                .isEqualTo("True");
        assertThat(condition(FleetStatusAggregator.aggregate(status, accepting, T1), "AcceptingJobs")
                        .reason())
                .isEqualTo("TokenAccepted");
    }

    @Test
    void managersBackingOffAfterFailedRequestsSayWhyAndUntilWhen() {
        Instant until = T0.plus(Duration.ofMinutes(50));
        ManagerReports.Report a =
                new ManagerReports.Report("m-a", true, T0, "500 Internal Server Error", false, null, until, 3);
        ManagerReports.Report b = new ManagerReports.Report(
                "m-b", true, T0, "connect timed out", false, null, T0.plus(Duration.ofMinutes(20)), 3);

        RunnerFleetStatus all = FleetStatusAggregator.aggregate(null, reporting(a, b), T0);
        RunnerFleetStatus some =
                FleetStatusAggregator.aggregate(null, reporting(a, report("m-b", true, null, false, null)), T0);
        RunnerFleetStatus over = FleetStatusAggregator.aggregate(all, reporting(a, b), until);

        assertThat(condition(all, "AcceptingJobs"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "BackingOff");
        assertThat(condition(all, "AcceptingJobs").message())
                .contains(
                        "m-a failed 3 job requests in a row",
                        "backs off until " + until,
                        "last error: 500 Internal Server Error",
                        "spec.runner.unhealthyInterval");
        assertThat(condition(some, "AcceptingJobs"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "TokenAccepted");
        assertThat(condition(some, "AcceptingJobs").message()).contains("1 of 2 managers ask for no job");
        assertThat(condition(over, "AcceptingJobs").status())
                .as("a back-off that ended says nothing any more")
                .isEqualTo("True");
    }

    @Test
    void tokenExpiringTurnsTrueSevenDaysBeforeTheDateAndNamesIt() {
        Instant expires = T0.plus(Duration.ofDays(8));
        FleetObservation observation = reporting(report("m-a", true, null, false, expires));

        RunnerFleetStatus early = FleetStatusAggregator.aggregate(null, observation, T0);
        RunnerFleetStatus later = FleetStatusAggregator.aggregate(early, observation, T0.plus(Duration.ofDays(1)));
        RunnerFleetStatus again = FleetStatusAggregator.aggregate(later, observation, T0.plus(Duration.ofDays(2)));

        assertThat(condition(early, "TokenExpiring"))
                .extracting(FleetCondition::status, FleetCondition::reason, FleetCondition::message)
                .containsExactly("False", "NotExpiringSoon", "The runner token expires at " + expires + ".");
        assertThat(condition(later, "TokenExpiring"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "ExpiresSoon");
        assertThat(condition(later, "TokenExpiring").message())
                .contains("expires at " + expires)
                .contains("without a restart")
                .doesNotContain("roll");
        assertThat(again).as("an unchanged report is not written again").isEqualTo(later);
        assertThat(FleetStatusAggregator.tokenWarningStarts(expires, Duration.ofDays(7)))
                .isEqualTo(T0.plus(Duration.ofDays(1)));
    }

    @Test
    void aFailedRotationMakesTokenExpiringTrueWithReasonRotationFailedNamingTheManagerAndTheFailure() {
        Instant expires = T0.plus(Duration.ofDays(30));
        ManagerReports.Report failing = new ManagerReports.Report(
                "m-b",
                true,
                T0.minusSeconds(60),
                null,
                false,
                expires,
                null,
                0,
                "writing Secret ci/shop-token key token failed (409 Conflict)",
                T0.minusSeconds(90));

        RunnerFleetStatus status = FleetStatusAggregator.aggregate(
                null, reporting(report("m-a", true, null, false, expires), failing), T0);

        assertThat(condition(status, "TokenExpiring"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "RotationFailed");
        assertThat(condition(status, "TokenExpiring").message())
                .contains("fails on m-b since " + T0.minusSeconds(90), "(409 Conflict)", "expires at " + expires);
        assertThat(condition(
                                FleetStatusAggregator.aggregate(
                                        null, reporting(report("m-a", true, null, false, expires)), T0),
                                "TokenExpiring")
                        .reason())
                .as("without a failure, the expiry decides as before")
                .isEqualTo("NotExpiringSoon");
    }

    @Test
    void tokenExpiryWarningOfTheSpecMovesWhenTokenExpiringTurnsTrue() {
        Instant expires = T0.plus(Duration.ofDays(8));
        ManagerReports reports = new ManagerReports(List.of(report("m-a", true, null, false, expires)));
        Duration twoWeeks = FleetStatusAggregator.tokenExpiryWarning("336h");
        Duration oneHour = FleetStatusAggregator.tokenExpiryWarning("1h");

        RunnerFleetStatus warnedEarly = FleetStatusAggregator.aggregate(
                null, observation(3, rollout(3, 3), TOKEN, List.of(), reports, twoWeeks), T0);
        RunnerFleetStatus notYet = FleetStatusAggregator.aggregate(
                null,
                observation(3, rollout(3, 3), TOKEN, List.of(), reports, oneHour),
                expires.minus(Duration.ofMinutes(61)));
        RunnerFleetStatus now = FleetStatusAggregator.aggregate(
                notYet,
                observation(3, rollout(3, 3), TOKEN, List.of(), reports, oneHour),
                expires.minus(Duration.ofMinutes(60)));

        assertThat(twoWeeks).isEqualTo(Duration.ofDays(14));
        assertThat(FleetStatusAggregator.tokenExpiryWarning(null)).isEqualTo(Duration.ofDays(7));
        assertThat(condition(warnedEarly, "TokenExpiring"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("True", "ExpiresSoon");
        assertThat(condition(warnedEarly, "TokenExpiring").message()).contains("expires at " + expires);
        assertThat(condition(notYet, "TokenExpiring").status()).isEqualTo("False");
        assertThat(condition(now, "TokenExpiring").status()).isEqualTo("True");
    }

    @Test
    void theEarliestReportedExpiryCountsAndNoExpiryIsSaid() {
        Instant soon = T0.plus(Duration.ofDays(2));
        RunnerFleetStatus status = FleetStatusAggregator.aggregate(
                null,
                reporting(
                        report("m-a", true, null, false, T0.plus(Duration.ofDays(90))),
                        report("m-b", true, null, false, soon)),
                T0);
        RunnerFleetStatus none =
                FleetStatusAggregator.aggregate(null, reporting(report("m-a", true, null, false, null)), T0);

        assertThat(condition(status, "TokenExpiring").message()).contains(soon.toString());
        assertThat(condition(none, "TokenExpiring"))
                .extracting(FleetCondition::status, FleetCondition::reason)
                .containsExactly("False", "NoExpiry");
    }

    private static ManagerRollout rollout(int ready, int updated) {
        return new ManagerRollout(true, ready, updated, true, updated, "abc");
    }

    private static FleetCondition condition(RunnerFleetStatus status, String type) {
        return status.conditions().stream()
                .filter(c -> c.type().equals(type))
                .findFirst()
                .orElseThrow();
    }
}
