package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredRbac;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.manager.PodSize;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.RealNodeCluster;
import io.runnerfleet.testing.gitlab.TestGitLab.JobView;
import io.runnerfleet.testing.gitlab.TestGitLab.State;
import io.runnerfleet.testing.gitlab.TestJob;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17, {@code spec.executor.capacityAware: nodes} on the real single-node cluster (docs/capacity.md): the node's
 * allocatable is what it is, so the test reads it and the requests of what runs there, and sizes the fleet's Job Pod
 * (the build's cpuRequest) so that only 2 fit next to them. 1 manager x 4 jobs = 4 slots, 5 jobs: the managers leave
 * jobs in GitLab rather than create a pod the scheduler cannot place, so no Job Pod is ever Pending for
 * {@code Insufficient cpu}, all 5 succeed, and the managers count skips with {@code reason="nodes"}. The managers
 * run with the ClusterRole the operator grants them only in this mode, so this also shows that it is enough.
 */
@External.RealCluster
class CapacityAwareNodesOnRealClusterTest {
    private static final Pattern SKIPPED_NODES =
            Pattern.compile("runner_fleet_requests_skipped_total\\{[^}]*reason=\"nodes\"[^}]*} ([0-9.eE+]+)");

    @TempDir
    Path work;

    private RealClusterFleet fleet;

    @AfterEach
    void stopFleet() {
        if (fleet == null) {
            return;
        }
        fleet.keepManagerLogs("capacityAwareNodes");
        // The ClusterRole is cluster-scoped: the operator's finalizer deletes it with the fleet, before it stops.
        fleet.client()
                .resources(RunnerFleet.class)
                .inNamespace(fleet.namespace())
                .withName(RealClusterFleet.FLEET)
                .delete();
        String name = DesiredRbac.nodeReaderName(fleet.namespace(), RealClusterFleet.FLEET);
        await("the managers' ClusterRole deleted with the fleet")
                .atMost(Duration.ofMinutes(1))
                .until(() -> fleet.client().rbac().clusterRoles().withName(name).get() == null);
        fleet.close();
    }

    @Test
    void aNodeWithRoomForTwoJobPodsRunsFiveJobsOnFourSlotsWithoutAPodPendingForCpu() throws Exception {
        // One manager of 4 slots: peers do not know each other's job requests held in GitLab (docs/capacity.md), and
        // the build's request is set before the fleet starts, since a roll would leave a dead manager's long-polled
        // request in the test GitLab to take a job.
        fleet = RealClusterFleet.start(work, Map.of("README", "capacity-nodes\n"), 1, 4, f -> {
            RunnerFleet nodes = Fleets.with(f, "spec.executor.capacityAware", "nodes");
            // What is free once the manager runs: the node's allocatable minus what runs there and the manager.
            BigDecimal free = freeCpu().subtract(managerCpu(nodes));
            // 2 Job Pods fit, a third does not: each takes 42% of it (the build's request plus the helper's 10m).
            BigDecimal buildCpu = free.multiply(new BigDecimal("0.42"))
                    .subtract(new BigDecimal("0.010"))
                    .setScale(3, RoundingMode.DOWN);
            assertThat(buildCpu.signum()).as("free cpu %s on the node", free).isPositive();
            return Fleets.with(
                    nodes,
                    "spec.executor.build.cpuRequest",
                    buildCpu.movePointRight(3).intValue() + "m");
        });
        String clusterRole = DesiredRbac.nodeReaderName(fleet.namespace(), RealClusterFleet.FLEET);
        assertThat(fleet.client().rbac().clusterRoles().withName(clusterRole).get())
                .isNotNull();

        Set<String> pendingForCpu = ConcurrentHashMap.newKeySet();
        List<TestJob> jobs = new ArrayList<>();
        try (Watch unused = fleet.client()
                .pods()
                .inNamespace(fleet.namespace())
                .withLabel(FleetLabels.JOB_ID)
                .watch(new InsufficientCpu(pendingForCpu))) {
            for (int i = 1; i <= 5; i++) {
                TestJob job = fleet.job()
                        .name("sleep-" + i)
                        .script("echo started-$CI_JOB_ID", "sleep 5", "echo finished-$CI_JOB_ID")
                        .build();
                jobs.add(job);
                fleet.gitlab().enqueue(job);
            }
            for (TestJob job : jobs) {
                JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(5));
                String trace = fleet.gitlab().traceText(job.id());
                assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
                assertThat(trace).contains("finished-" + job.id());
            }
        }
        assertThat(pendingForCpu).as("Job Pods Pending for Insufficient cpu").isEmpty();
        assertThat(skippedForNodes())
                .as("runner_fleet_requests_skipped_total{reason=\"nodes\"}")
                .isPositive();
    }

    /** The cpu the fleet's manager pods request, as the operator will create them. */
    private static BigDecimal managerCpu(RunnerFleet fleet) {
        var deployment = FleetObjects.of(fleet, OperatorDefaults.forThisBuild()).deployment();
        Pod template = new PodBuilder()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .build();
        return PodSize.of(template)
                .amount("requests.cpu")
                .multiply(BigDecimal.valueOf(deployment.getSpec().getReplicas()));
    }

    /** The node's allocatable cpu minus the requests of the non-terminated pods bound to it. */
    private static BigDecimal freeCpu() {
        RealNodeCluster cluster = RealNodeCluster.shared();
        String nodeName = cluster.nodeName();
        Node node = cluster.client().nodes().withName(nodeName).get();
        BigDecimal allocatable =
                Quantity.getAmountInBytes(node.getStatus().getAllocatable().get("cpu"));
        BigDecimal requested = cluster.client().pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> nodeName.equals(p.getSpec().getNodeName()))
                .map(p -> PodSize.of(p).amount("requests.cpu"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return allocatable.subtract(requested);
    }

    /** The managers' skips for nodes, read from their /metrics through the API server's pod proxy. */
    private double skippedForNodes() {
        double total = 0;
        for (Pod manager : fleet.managerPods()) {
            String metrics = fleet.client()
                    .raw(fleet.client().getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
                            + fleet.namespace() + "/pods/"
                            + manager.getMetadata().getName() + ":9252/proxy/metrics");
            Matcher m = SKIPPED_NODES.matcher(metrics == null ? "" : metrics);
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
        }
        return total;
    }

    /** Records every Job Pod the scheduler left Pending for lack of cpu (PodScheduled False, Insufficient cpu). */
    private record InsufficientCpu(Set<String> pods) implements Watcher<Pod> {
        @Override
        public void eventReceived(Action action, Pod pod) {
            List<PodCondition> conditions =
                    pod.getStatus() == null ? null : pod.getStatus().getConditions();
            if (conditions == null) {
                return;
            }
            for (PodCondition c : conditions) {
                if ("PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && c.getMessage() != null
                        && c.getMessage().contains("Insufficient cpu")) {
                    pods.add(pod.getMetadata().getName() + ": " + c.getMessage());
                }
            }
        }

        @Override
        public void onClose(WatcherException cause) {}
    }
}
