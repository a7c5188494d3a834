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
                .containsExactly("Ready", "Progressing", "Degraded", "TokenSecretFound", "Diagnostics");
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
                "build-fleet", "ci", 4, 3, 10, List.of(problem), TOKEN, rollout(3, 3), 0, "abc", List.of());

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
        return new FleetObservation(
                "build-fleet", "ci", 4, replicas, 10, List.of(), token, rollout, 7, "abc", diagnostics);
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
