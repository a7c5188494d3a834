package io.runnerfleet.fleet;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.runnerfleet.api.v1alpha1.ConditionStatus;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.FleetConditionReason;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.RunnerFleetStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A reconciliation that failed after the spec was found valid: a write of the fleet's objects the API server refused
 * or could not do (a full Service IP range, a webhook, an object quota). JOSDK retries it with back-off; meanwhile
 * the fleet says so in {@code Degraded} ({@code ApplyFailed}, the API server's answer in the message) instead of
 * keeping the status of its last successful reconciliation, or none for a new fleet. The next successful
 * reconciliation computes every condition again ({@link FleetStatusAggregator}).
 */
final class ApplyFailure {
    /** Enough for the API server's message; a whole exception chain does not belong in a condition. */
    private static final int MAX_MESSAGE = 1024;

    private ApplyFailure() {}

    /**
     * The API server's answer to each write that failed, with what was written when the client knows it. JOSDK
     * collects the failures of a workflow's dependents in one {@link AggregatedOperatorException}, by dependent.
     */
    static String describe(Throwable failure) {
        List<String> writes = new ArrayList<>();
        collect(failure, writes);
        String what = writes.isEmpty() ? "Reconciling the fleet failed: " + failure : String.join("; ", writes);
        return shorten(what + ". Retried with back-off.");
    }

    private static void collect(Throwable failure, List<String> writes) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AggregatedOperatorException aggregated) {
                aggregated.getAggregatedExceptions().values().forEach(e -> collect(e, writes));
                return;
            }
            if (t instanceof KubernetesClientException e) {
                writes.add(describe(e));
                return;
            }
        }
    }

    private static String describe(KubernetesClientException e) {
        // The request's resource when the client kept it, else the API server's own details of the refusal.
        var details = e.getStatus() == null ? null : e.getStatus().getDetails();
        String kind =
                e.getResourcePlural() != null ? e.getResourcePlural() : details == null ? null : details.getKind();
        String name = e.getName() != null ? e.getName() : details == null ? null : details.getName();
        String what = kind == null ? "an object of the fleet" : kind + (name == null ? "" : " " + name);
        String answer = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        return "Writing " + what + " failed (HTTP " + e.getCode() + "): " + answer;
    }

    /** {@code previous} with Degraded True, ApplyFailed, {@code message}; every other condition as it was. */
    static RunnerFleetStatus degraded(RunnerFleetStatus previous, String message, long generation, Instant now) {
        List<FleetCondition> conditions = new ArrayList<>();
        FleetCondition was = null;
        if (previous != null && previous.conditions() != null) {
            for (FleetCondition condition : previous.conditions()) {
                if (condition.hasType(FleetConditionType.DEGRADED)) {
                    was = condition;
                } else {
                    conditions.add(condition);
                }
            }
        }
        String since = was != null && was.hasStatus(ConditionStatus.TRUE) && was.lastTransitionTime() != null
                ? was.lastTransitionTime()
                : now.truncatedTo(ChronoUnit.SECONDS).toString();
        conditions.add(FleetCondition.of(
                FleetConditionType.DEGRADED,
                ConditionStatus.TRUE,
                FleetConditionReason.APPLY_FAILED,
                message,
                since,
                generation));
        if (previous == null) {
            return new RunnerFleetStatus(generation, null, null, null, null, null, null, conditions, null);
        }
        return new RunnerFleetStatus(
                previous.observedGeneration(),
                previous.replicas(),
                previous.readyManagers(),
                previous.managers(),
                previous.capacity(),
                previous.runningJobs(),
                previous.configHash(),
                conditions,
                previous.warmCapacity());
    }

    private static String shorten(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
