package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.DisruptionSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.base.GoDurations;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a Job Pod's protection from drains past {@code spec.executor.disruption.maxWait}, counted from the pod's
 * creation: the label {@link FleetLabels#DISRUPTION_PROTECTED} comes off, so the fleet's job budget no longer
 * selects it and the next eviction a {@code kubectl drain} retries goes through, and the autoscaler's
 * {@link FleetLabels#SAFE_TO_EVICT} annotation with it. The operator does it, not the managers: it alone reads the
 * fleet's spec (the managers would need maxWait in config.toml, and a manager that died would leave its pods
 * protected until a peer adopts them), and it already watches every Job Pod. It writes with a GET and an update
 * carrying the resourceVersion (its RBAC has no patch on pods); a conflict is retried at the next reconciliation.
 */
final class JobPodRelease {
    private static final Logger LOG = LoggerFactory.getLogger(JobPodRelease.class);

    private final KubernetesClient client;

    JobPodRelease(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Releases the pods that are due among {@code pods} (the fleet's running Job Pods, as cached) and says how long
     * until the next one is: when the reconciliation must come back, since no event marks that moment.
     */
    Optional<Duration> release(DisruptionSpec disruption, Collection<Pod> pods, Instant now) {
        if (disruption.maxWait() == null) {
            return Optional.empty();
        }
        Duration maxWait = GoDurations.parse(disruption.maxWait());
        Duration next = null;
        for (Pod pod : pods) {
            Optional<Instant> due = releaseAt(pod, maxWait);
            if (due.isEmpty()) {
                continue;
            }
            if (due.get().isAfter(now)) {
                Duration wait = Duration.between(now, due.get());
                next = next == null || wait.compareTo(next) < 0 ? wait : next;
            } else {
                unprotect(pod);
            }
        }
        return Optional.ofNullable(next);
    }

    /** When a protected pod is to be released: its creation plus maxWait. Empty for a pod no longer protected. */
    static Optional<Instant> releaseAt(Pod pod, Duration maxWait) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String created = pod.getMetadata().getCreationTimestamp();
        if (labels == null || !labels.containsKey(FleetLabels.DISRUPTION_PROTECTED) || created == null) {
            return Optional.empty();
        }
        return Optional.of(Instant.parse(created).plus(maxWait));
    }

    private void unprotect(Pod cached) {
        String namespace = cached.getMetadata().getNamespace();
        String name = cached.getMetadata().getName();
        try {
            // The cache holds a trimmed pod (CachedFields): the update starts from the whole one.
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            if (pod == null || pod.getMetadata().getLabels() == null) {
                return;
            }
            pod.getMetadata().getLabels().remove(FleetLabels.DISRUPTION_PROTECTED);
            if (pod.getMetadata().getAnnotations() != null) {
                pod.getMetadata().getAnnotations().remove(FleetLabels.SAFE_TO_EVICT);
            }
            client.resource(pod).update();
            LOG.info("Job Pod {}/{} protected past maxWait: a drain may now evict it", namespace, name);
        } catch (KubernetesClientException e) {
            LOG.warn("could not end the drain protection of Job Pod {}/{}: {}", namespace, name, e.getMessage());
        }
    }
}
