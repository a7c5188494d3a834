package io.runnerfleet.fleet;

import io.runnerfleet.api.v1alpha1.WarmCapacityStatus;
import io.runnerfleet.base.FieldProblem;
import java.time.Duration;
import java.util.List;

/**
 * Everything the status is computed from, gathered by the reconciler in one place so that the aggregator stays
 * pure.
 *
 * @param specProblems what the schema could not catch (FleetSemantics, a missing executor namespace)
 * @param configHash the hash the managers should run: the desired one when the spec is valid, else the deployed one
 * @param diagnostics known misconfigurations of a valid spec ({@code FleetDiagnostics}); empty for an invalid one
 * @param gitlab what the live managers report of GitLab on their Leases
 * @param tokenExpiryWarning {@code spec.gitlab.tokenExpiryWarning}, parsed (its default when unset)
 * @param paused {@code spec.paused}
 * @param capacityCheckOff {@code spec.executor.capacityAware} is {@code none}
 * @param warmCapacity the pause pods of {@code spec.warmCapacity}; null without it
 */
public record FleetObservation(
        String name,
        String namespace,
        long generation,
        int replicas,
        int concurrent,
        List<FieldProblem> specProblems,
        TokenSecretCheck token,
        ManagerRollout managers,
        int runningJobs,
        String configHash,
        List<String> diagnostics,
        ManagerReports gitlab,
        Duration tokenExpiryWarning,
        boolean paused,
        boolean capacityCheckOff,
        WarmCapacityStatus warmCapacity) {

    /** An observation of a fleet without warm capacity. */
    public FleetObservation(
            String name,
            String namespace,
            long generation,
            int replicas,
            int concurrent,
            List<FieldProblem> specProblems,
            TokenSecretCheck token,
            ManagerRollout managers,
            int runningJobs,
            String configHash,
            List<String> diagnostics,
            ManagerReports gitlab,
            Duration tokenExpiryWarning,
            boolean paused,
            boolean capacityCheckOff) {
        this(
                name,
                namespace,
                generation,
                replicas,
                concurrent,
                specProblems,
                token,
                managers,
                runningJobs,
                configHash,
                diagnostics,
                gitlab,
                tokenExpiryWarning,
                paused,
                capacityCheckOff,
                null);
    }

    /** An observation of a fleet whose managers check capacity (the default). */
    public FleetObservation(
            String name,
            String namespace,
            long generation,
            int replicas,
            int concurrent,
            List<FieldProblem> specProblems,
            TokenSecretCheck token,
            ManagerRollout managers,
            int runningJobs,
            String configHash,
            List<String> diagnostics,
            ManagerReports gitlab,
            Duration tokenExpiryWarning,
            boolean paused) {
        this(
                name,
                namespace,
                generation,
                replicas,
                concurrent,
                specProblems,
                token,
                managers,
                runningJobs,
                configHash,
                diagnostics,
                gitlab,
                tokenExpiryWarning,
                paused,
                false,
                null);
    }

    public FleetObservation {
        specProblems = List.copyOf(specProblems);
        diagnostics = List.copyOf(diagnostics);
    }

    /** No dependent may be touched: the spec is invalid or the token is missing. */
    public boolean blocked() {
        return !specProblems.isEmpty() || !token.found();
    }
}
