package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a Job Pod of the fleet's size can start in the executor namespace now, asked before each job request
 * ({@code spec.executor.capacityAware: quota}). It watches the namespace's ResourceQuotas and holds room for each
 * job request in flight and each received job whose pod it does not see yet, so that its own pollers (and jobs
 * being created) never overbook a quota between two quota status updates. The room is held for a slot until the
 * slot is given back; once the job's pod is seen, the pod counts instead. Peers' requests in flight are unknown
 * to it: two managers may still both take the last room, and the API server then refuses one pod.
 */
final class CapacityGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CapacityGate.class);

    private final SharedIndexInformer<ResourceQuota> quotas;
    private final String namespace;
    private final PodSize jobPod;
    private final Supplier<List<Pod>> jobPods;
    private final List<Reservation> reservations = new ArrayList<>();
    private final NodeWatch nodes;
    private final Pod jobPodShape;

    /** Why no Job Pod fits now: {@code reason} is the skip counter's label ({@code quota}, {@code nodes}). */
    record Shortfall(String reason, String message) {}

    /** Room held for one slot's job: its id once GitLab handed it out, to recognise its pod. */
    private static final class Reservation {
        private final JobSlots.Slot slot;
        private String jobId;

        Reservation(JobSlots.Slot slot) {
            this.slot = slot;
        }
    }

    private CapacityGate(
            SharedIndexInformer<ResourceQuota> quotas,
            String namespace,
            PodSize jobPod,
            Supplier<List<Pod>> jobPods,
            NodeWatch nodes,
            Pod jobPodShape) {
        this.quotas = quotas;
        this.namespace = namespace;
        this.jobPod = jobPod;
        this.jobPods = jobPods;
        this.nodes = nodes;
        this.jobPodShape = jobPodShape;
    }

    /** {@code capacityAware: none}: every request may go, as in gitlab-runner. */
    static CapacityGate off() {
        return new CapacityGate(null, null, PodSize.zero(), List::of, null, null);
    }

    /**
     * Watches the ResourceQuotas of {@code namespace}. A watch the API server refuses (a Role without
     * {@code resourcequotas}) is retried in the background and, until it works, nothing is held back.
     */
    static CapacityGate quota(
            KubernetesClient kubernetes, String namespace, PodSize jobPod, Supplier<List<Pod>> jobPods) {
        return new CapacityGate(watchQuotas(kubernetes, namespace), namespace, jobPod, jobPods, null, null);
    }

    /**
     * {@code capacityAware: nodes}: the quota check, and the cluster's nodes ({@link NodeWatch}) for {@code jobPod},
     * the fleet's Job Pod, whose tolerations, nodeSelector and affinity decide which nodes count.
     */
    static CapacityGate nodes(KubernetesClient kubernetes, String namespace, Pod jobPod, Supplier<List<Pod>> jobPods) {
        return new CapacityGate(
                watchQuotas(kubernetes, namespace),
                namespace,
                PodSize.of(jobPod),
                jobPods,
                NodeWatch.start(kubernetes),
                jobPod);
    }

    private static SharedIndexInformer<ResourceQuota> watchQuotas(KubernetesClient kubernetes, String namespace) {
        SharedIndexInformer<ResourceQuota> informer =
                kubernetes.resourceQuotas().inNamespace(namespace).runnableInformer(0);
        informer.exceptionHandler((wasStarted, error) -> {
            LOG.warn("cannot watch ResourceQuotas in namespace {}: {}; retrying", namespace, error.getMessage());
            return true;
        });
        CompletionStage<Void> synced = informer.start();
        try {
            synced.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("ResourceQuotas of namespace {} not listed yet ({}); jobs are requested meanwhile", namespace, e);
        }
        return informer;
    }

    /**
     * Holds room for the job {@code slot} is about to request and returns empty, or returns why there is none (the
     * quota and resource). The room goes with the slot.
     */
    synchronized Optional<Shortfall> reserve(JobSlots.Slot slot) {
        if (quotas == null) {
            return Optional.empty();
        }
        List<Pod> allPods = jobPods.get();
        List<Pod> pods = allPods.stream()
                .filter(pod -> namespace.equals(pod.getMetadata().getNamespace()))
                .toList();
        int unseen = 0;
        for (Reservation reservation : reservations) {
            String jobId = reservation.jobId;
            if (jobId == null || pods.stream().noneMatch(pod -> isPodOf(pod, jobId))) {
                unseen++;
            }
        }
        Optional<Shortfall> shortfall = quotaShortfall(pods, unseen)
                .map(message -> new Shortfall("quota", message))
                .or(() -> nodeShortfall(allPods).map(message -> new Shortfall("nodes", message)));
        if (shortfall.isPresent()) {
            return shortfall;
        }
        Reservation reservation = new Reservation(slot);
        reservations.add(reservation);
        slot.onClose(() -> release(reservation));
        return Optional.empty();
    }

    private Optional<String> quotaShortfall(List<Pod> pods, int unseen) {
        if (!quotas.hasSynced()) {
            return Optional.empty();
        }
        PodSize seen = pods.stream().map(PodSize::of).reduce(PodSize.zero(), PodSize::plus);
        PodSize reserved = PodSize.zero();
        for (int i = 0; i < unseen; i++) {
            reserved = reserved.plus(jobPod);
        }
        for (ResourceQuota quota : quotas.getStore().list()) {
            Optional<QuotaHeadroom> headroom = QuotaHeadroom.of(quota);
            if (headroom.isEmpty()) {
                continue;
            }
            Optional<String> shortfall = headroom.get().shortfall(seen, reserved, jobPod);
            if (shortfall.isPresent()) {
                return shortfall;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code capacityAware: nodes}: whether some node has room for one more Job Pod besides the fleet's Job Pods
     * not bound to a node yet and the requests in flight whose pod is not seen yet (the scheduler will place those
     * first). Bound Job Pods count on their node, among all its pods.
     */
    private Optional<String> nodeShortfall(List<Pod> fleetPods) {
        if (nodes == null || !nodes.synced()) {
            return Optional.empty();
        }
        int unbound = 0;
        for (Pod pod : fleetPods) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            boolean terminated = PodSize.of(pod).amount(PodSize.PODS).signum() == 0;
            if ((node == null || node.isEmpty()) && !terminated) {
                unbound++;
            }
        }
        for (Reservation reservation : reservations) {
            String jobId = reservation.jobId;
            if (jobId == null || fleetPods.stream().noneMatch(pod -> isPodOf(pod, jobId))) {
                unbound++;
            }
        }
        return NodeHeadroom.shortfall(nodes.headroom(jobPodShape), unbound, jobPod);
    }

    /** GitLab handed out job {@code jobId} for {@code slot}'s request: its pod, once seen, counts for the room. */
    synchronized void received(JobSlots.Slot slot, long jobId) {
        reservations.stream().filter(r -> r.slot == slot).forEach(r -> r.jobId = Long.toString(jobId));
    }

    private synchronized void release(Reservation reservation) {
        reservations.remove(reservation);
    }

    private static boolean isPodOf(Pod pod, String jobId) {
        var labels = pod.getMetadata().getLabels();
        return labels != null && jobId.equals(labels.get(FleetLabels.JOB_ID));
    }

    @Override
    public void close() {
        if (quotas != null) {
            quotas.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }
}
