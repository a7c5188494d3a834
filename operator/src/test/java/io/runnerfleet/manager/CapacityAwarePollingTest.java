package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.api.v1alpha1.ContainerResources;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 on the mock API server: one manager with 10 free slots and a ResourceQuota that fits 3 Job Pods runs
 * 10 queued jobs, never more than 3 Job Pods at once (the mock has no quota admission and no quota controller, so
 * only the manager's own accounting keeps it under), and leaves the rest in GitLab meanwhile.
 */
class CapacityAwarePollingTest {
    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** Build 500m + helper 100m + no services: a Job Pod requests 600m of CPU and 192Mi of memory. */
    private ManagerConfig config(CapacityAware mode) {
        return harness.config(
                10,
                executor -> executor.capacityAware(mode)
                        .build(new ContainerResources(
                                null, "500m", null, "128Mi", null, null, null, null, null, null, null, null))
                        .helper(new ContainerResources(
                                null, "100m", null, "64Mi", null, null, null, null, null, null, null, null)));
    }

    private static ResourceQuota quota(String cpu) {
        return new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("compute")
                .withNamespace(ManagerHarness.NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withHard(Map.of("requests.cpu", new Quantity(cpu), "pods", new Quantity("20")))
                .endSpec()
                .build();
    }

    @Test
    void aQuotaForThreeJobPodsKeepsTenSlotsToThreeJobPodsAtOnceAndAllTenJobsFinish() throws Exception {
        harness.kubelet.defaultScenario(Scenarios.takes(300));
        // 3 x 600m fit, a fourth does not.
        harness.client().resource(quota("2")).create();
        PodCount count =
                runUntilAllSucceeded(CapacityAware.QUOTA, 1701, 10, "quota", "ResourceQuota ci/compute: requests.cpu");
        assertThat(count.created.get()).as("Job Pods created").isEqualTo(10);
        assertThat(count.most.get())
                .as("most Job Pods counted by the quota at once")
                .isPositive()
                .isLessThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    /**
     * Enqueues {@code jobs} jobs from {@code firstId}, starts one manager in {@code mode}, waits until it has skipped
     * a request for {@code reason} and reported it on its Lease, then until every job succeeded; the Job Pods
     * counted meanwhile.
     */
    private PodCount runUntilAllSucceeded(
            CapacityAware mode, long firstId, int jobs, String reason, String reportPrefix) throws Exception {
        PodCount count = new PodCount();
        try (Watch unused = harness.client()
                .pods()
                .inNamespace(ManagerHarness.NAMESPACE)
                .withLabel(FleetLabels.JOB_ID)
                .watch(count)) {
            for (long id = firstId; id < firstId + jobs; id++) {
                harness.gitlab.enqueue(TestJob.builder(id).build());
            }
            RunnerManager manager = harness.startManager("shop-manager-a", config(mode));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> manager.metrics()
                                    .registry()
                                    .family("runner_fleet_requests_skipped_total")
                                    .value(ManagerHarness.FLEET, reason)
                            > 0);
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            harness.client().leases().inNamespace(ManagerHarness.NAMESPACE).list().getItems().stream()
                                    .anyMatch(l -> l.getMetadata().getAnnotations() != null
                                            && l.getMetadata()
                                                    .getAnnotations()
                                                    .getOrDefault(ManagerReport.CAPACITY_LIMITED, "")
                                                    .startsWith(reportPrefix)));
            for (long id = firstId; id < firstId + jobs; id++) {
                harness.awaitDone(id, Duration.ofSeconds(60));
                assertThat(harness.gitlab.state(id)).as("job %d", id).isEqualTo(TestGitLab.State.SUCCESS);
            }
        }
        return count;
    }

    private static Node node(String name, String cpu, boolean cordoned) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withUnschedulable(cordoned)
                .endSpec()
                .withNewStatus()
                .withAllocatable(
                        Map.of("cpu", new Quantity(cpu), "memory", new Quantity("8Gi"), "pods", new Quantity("110")))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    /**
     * capacityAware: nodes (docs/capacity.md): two nodes, one cordoned with room for many Job Pods, one with room
     * for 2 (1300m of CPU, a Job Pod requests 600m); 10 slots, 6 jobs. The mock's simulated kubelet binds no pod to
     * a node, so every Job Pod stays unbound and counts against the room until it ends: never more than 2 exist at
     * once. With quota or none (no quota here) all 6 would start at once, so this fails for them.
     */
    @Test
    void withCapacityAwareNodesANodeWithRoomForTwoKeepsTenSlotsToTwoJobPodsAtOnceAndAllSixJobsFinish()
            throws Exception {
        harness.kubelet.defaultScenario(Scenarios.takes(300));
        harness.client().resource(node("n-cordoned", "16", true)).create();
        harness.client().resource(node("n-room", "1300m", false)).create();
        PodCount count =
                runUntilAllSucceeded(CapacityAware.NODES, 1901, 6, "nodes", "Nodes: no schedulable node has room");
        assertThat(count.created.get()).as("Job Pods created").isEqualTo(6);
        assertThat(count.most.get())
                .as("most Job Pods not yet ended at once")
                .isPositive()
                .isLessThanOrEqualTo(2);
    }

    @Test
    void withCapacityAwareNoneTheManagerNeverLooksAtQuotas() throws Exception {
        harness.client().resource(quota("0")).create();
        harness.gitlab.enqueue(TestJob.builder(1801).build());
        RunnerManager manager = harness.startManager("shop-manager-a", config(CapacityAware.NONE));

        harness.awaitDone(1801, Duration.ofSeconds(30));
        assertThat(harness.gitlab.state(1801)).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(manager.metrics()
                        .registry()
                        .family("runner_fleet_requests_skipped_total")
                        .value(ManagerHarness.FLEET, "quota"))
                .isZero();
        assertThat(harness.kube.requests())
                .noneMatch(r -> ManagerHarness.MANAGER_USER_AGENT.equals(r.userAgent())
                        && r.path().contains("/resourcequotas"));
    }

    /** The Job Pods a quota counts (created, not yet terminated or gone), and the most there ever were at once. */
    private static final class PodCount implements Watcher<Pod> {
        private final Set<String> counted = ConcurrentHashMap.newKeySet();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger created = new AtomicInteger();

        @Override
        public synchronized void eventReceived(Action action, Pod pod) {
            String name = pod.getMetadata().getName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            boolean terminated = "Succeeded".equals(phase) || "Failed".equals(phase);
            if (action == Action.DELETED || terminated) {
                counted.remove(name);
            } else if (counted.add(name) && seen.add(name)) {
                created.incrementAndGet();
            }
            most.accumulateAndGet(counted.size(), Math::max);
        }

        @Override
        public void onClose(WatcherException cause) {}
    }
}
