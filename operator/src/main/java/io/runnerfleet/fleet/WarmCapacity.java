package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.api.v1alpha1.WarmCapacityStatus;
import io.runnerfleet.desired.DesiredWarmCapacity;
import io.runnerfleet.desired.JobPodFootprint;
import io.runnerfleet.desired.WarmCapacityPlan;
import io.runnerfleet.diagnostics.PlaceholderJob;
import io.runnerfleet.jobpod.JobPodException;
import io.runnerfleet.jobpod.JobPodFootprints;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of {@code spec.warmCapacity}: before the workflow runs, the pause pods' ReplicaSet for now
 * (the pure {@link WarmCapacityPlan} from the fleet's running jobs and the ReplicaSet as it is) and the shared
 * PriorityClass; after it, pause pods of an older template replaced, and the status. gitlab-runner keeps them from
 * each runner process ({@code executors/kubernetes/autoscaler/provider.go}); here one operator keeps them per fleet,
 * from the running jobs of all its managers.
 */
final class WarmCapacity {
    /** The shared PriorityClass is looked for again after this long, in case someone deleted it. */
    static final Duration PRIORITY_CLASS_RECHECK = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(WarmCapacity.class);

    private final KubernetesClient client;
    private final Clock clock;
    private volatile Instant priorityClassSeen;

    WarmCapacity(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The plan and the ReplicaSet for it; null when the fleet wants no pause pods or its Job Pod cannot be built. */
    record Desired(WarmCapacityPlan plan, ReplicaSet replicaSet) {}

    Desired desired(RunnerFleet fleet, int runningJobs, ReplicaSet actual, Instant now) {
        WarmCapacitySpec spec = fleet.getSpec().warmCapacity();
        if (spec == null) {
            return null;
        }
        JobPodFootprint footprint;
        try {
            footprint = JobPodFootprints.of(PlaceholderJob.pod(fleet));
        } catch (JobPodException e) {
            // The Diagnostics condition says why no Job Pod of this fleet can start; no room is held for one.
            return null;
        }
        Integer held = actual == null ? null : actual.getSpec().getReplicas();
        WarmCapacityPlan plan = WarmCapacityPlan.of(spec, runningJobs, now, held, lowerSince(actual));
        return new Desired(plan, DesiredWarmCapacity.replicaSet(fleet, footprint, plan));
    }

    /** The shared PriorityClass, created when missing; a class the fleet names is the user's to create. */
    void ensurePriorityClass(RunnerFleet fleet) {
        WarmCapacitySpec spec = fleet.getSpec().warmCapacity();
        Instant now = clock.instant();
        if (spec == null || !spec.ownPriorityClass()) {
            return;
        }
        Instant seen = priorityClassSeen;
        if (seen != null && now.isBefore(seen.plus(PRIORITY_CLASS_RECHECK))) {
            return;
        }
        var classes = client.scheduling().v1().priorityClasses();
        if (classes.withName(WarmCapacitySpec.DEFAULT_PRIORITY_CLASS).get() == null) {
            try {
                classes.resource(DesiredWarmCapacity.priorityClass()).create();
                LOG.info("created PriorityClass {} for pause pods", WarmCapacitySpec.DEFAULT_PRIORITY_CLASS);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        priorityClassSeen = now;
    }

    /**
     * Pause pods of an older template (the Job Pod's footprint or the pause image changed) are deleted when the
     * ReplicaSet's template changes: a ReplicaSet never replaces its pods itself, and recreates these at once from
     * the new template.
     */
    void replaceStale(RunnerFleet fleet, ReplicaSet before, ReplicaSet desired) {
        String hash = templateHash(desired);
        if (before == null || Objects.equals(templateHash(before), hash)) {
            return;
        }
        for (Pod pod : client.pods()
                .inNamespace(fleet.getMetadata().getNamespace())
                .withLabels(DesiredWarmCapacity.selector(fleet))
                .list()
                .getItems()) {
            if (!Objects.equals(pod.getMetadata().getLabels().get(DesiredWarmCapacity.TEMPLATE_HASH), hash)) {
                client.pods().resource(pod).delete();
                LOG.info(
                        "fleet {}/{}: replaced pause pod {} of an older template",
                        fleet.getMetadata().getNamespace(),
                        fleet.getMetadata().getName(),
                        pod.getMetadata().getName());
            }
        }
    }

    private static String templateHash(ReplicaSet replicaSet) {
        var labels = replicaSet.getSpec().getTemplate().getMetadata().getLabels();
        return labels == null ? null : labels.get(DesiredWarmCapacity.TEMPLATE_HASH);
    }

    static WarmCapacityStatus status(WarmCapacityPlan plan, ReplicaSet actual) {
        Integer ready = actual == null || actual.getStatus() == null
                ? null
                : actual.getStatus().getReadyReplicas();
        return new WarmCapacityStatus(plan.replicas(), ready == null ? 0 : ready, plan.policy(), problem(actual));
    }

    /**
     * What the ReplicaSet controller says when it cannot create a pause pod (admission refused it: a PriorityClass
     * that does not exist, a quota): otherwise the fleet would show fewer ready pause pods than desired and no reason.
     */
    private static String problem(ReplicaSet actual) {
        if (actual == null || actual.getStatus() == null || actual.getStatus().getConditions() == null) {
            return null;
        }
        return actual.getStatus().getConditions().stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getMessage() == null ? c.getReason() : c.getMessage())
                .findFirst()
                .orElse(null);
    }

    private static Instant lowerSince(ReplicaSet actual) {
        String since = actual == null || actual.getMetadata().getAnnotations() == null
                ? null
                : actual.getMetadata().getAnnotations().get(DesiredWarmCapacity.LOWER_SINCE);
        try {
            return since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
