package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of "some node has room for a Job Pod" ({@link NodeHeadroom}, capacityAware: nodes). */
class NodeHeadroomTest {

    /** A Ready node labelled pool=ci with this allocatable cpu and memory, room for 110 pods. */
    private static NodeBuilder node(String name, String cpu, String memory) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("pool", "ci"))
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .withAllocatable(
                        Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus();
    }

    /** A pod requesting cpu and memory in one container; with {@code tolerations} and {@code nodeSelector}. */
    private static Pod pod(String cpu, String memory, List<Toleration> tolerations, Map<String, String> selector) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("build")
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity(memory))
                .endResources()
                .endContainer()
                .withTolerations(tolerations)
                .withNodeSelector(selector)
                .endSpec()
                .build();
    }

    private static final Pod JOB_POD = pod("500m", "1Gi", List.of(), Map.of("pool", "ci"));
    private static final PodSize JOB = PodSize.of(JOB_POD);

    private static NodeHeadroom headroom(Node node, Pod... bound) {
        PodSize requested = PodSize.zero();
        for (Pod pod : bound) {
            requested = requested.plus(PodSize.of(pod));
        }
        return NodeHeadroom.of(node, requested, JOB_POD);
    }

    @Test
    void roomIsAllocatableMinusTheBoundPodsRequestsInJobPodsByTheScarcestResource() {
        // 2 cpu - 800m = 1.2 -> 2 Job Pods by cpu; 3584Mi - 1Gi = 2.5Gi -> 2 by memory.
        NodeHeadroom n = headroom(node("n", "2", "3584Mi").build(), pod("800m", "1Gi", List.of(), Map.of()));
        assertThat(n.unusable()).isNull();
        assertThat(n.room(JOB)).isEqualTo(2);
        // 1.9 cpu left but only 512Mi of memory: none.
        NodeHeadroom memoryShort = headroom(node("m", "2", "1536Mi").build(), pod("100m", "1Gi", List.of(), Map.of()));
        assertThat(memoryShort.room(JOB)).isZero();
    }

    @Test
    void theJobPodsNotYetScheduledTakeTheRoomFirst() {
        List<NodeHeadroom> nodes = List.of(headroom(node("n", "1200m", "8Gi").build()));
        assertThat(NodeHeadroom.shortfall(nodes, 0, JOB)).isEmpty();
        assertThat(NodeHeadroom.shortfall(nodes, 1, JOB)).isEmpty();
        assertThat(NodeHeadroom.shortfall(nodes, 2, JOB))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("Nodes: no schedulable node has room for another Job Pod (2 not scheduled yet)")
                        .contains("closest: n: room for 2"));
        // Two nodes with room for one each take two unscheduled Job Pods, not a third.
        List<NodeHeadroom> two = List.of(
                headroom(node("a", "700m", "8Gi").build()),
                headroom(node("b", "700m", "8Gi").build()));
        assertThat(NodeHeadroom.shortfall(two, 1, JOB)).isEmpty();
        assertThat(NodeHeadroom.shortfall(two, 2, JOB)).isPresent();
    }

    @Test
    void aNotReadyACordonedATaintedAndAMismatchedNodeHaveNoRoomWhateverTheirAllocatable() {
        Node notReady = node("not-ready", "64", "64Gi")
                .editStatus()
                .editFirstCondition()
                .withStatus("False")
                .endCondition()
                .endStatus()
                .build();
        Node cordoned = node("cordoned", "64", "64Gi")
                .editSpec()
                .withUnschedulable(true)
                .endSpec()
                .build();
        Node tainted = node("tainted", "64", "64Gi")
                .editSpec()
                .addNewTaint()
                .withKey("gpu")
                .withValue("yes")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .build();
        Node otherPool = node("other-pool", "64", "64Gi")
                .editMetadata()
                .withLabels(Map.of("pool", "web"))
                .endMetadata()
                .build();
        Node full = node("full", "1", "8Gi").build();
        List<NodeHeadroom> nodes = List.of(
                headroom(notReady),
                headroom(cordoned),
                headroom(tainted),
                headroom(otherPool),
                headroom(full, pod("700m", "1Gi", List.of(), Map.of())));
        assertThat(nodes)
                .extracting(NodeHeadroom::unusable)
                .containsExactly(
                        "NotReady",
                        "cordoned",
                        "taint gpu=yes:NoSchedule not tolerated",
                        "nodeSelector pool=ci not matched",
                        null);
        assertThat(NodeHeadroom.shortfall(nodes, 0, JOB))
                .hasValue("Nodes: no schedulable node has room for a Job Pod; closest: full: cpu 0.7 of 1 requested, a "
                        + "Job Pod needs 0.5; 4 node(s) unusable: not-ready NotReady, cordoned cordoned, tainted taint "
                        + "gpu=yes:NoSchedule not tolerated, ...");
    }

    @Test
    void aTaintTheJobPodToleratesAndAPreferNoScheduleTaintDoNotBlock() {
        Node tainted = node("tainted", "2", "8Gi")
                .editSpec()
                .addNewTaint()
                .withKey("gpu")
                .withValue("yes")
                .withEffect("NoSchedule")
                .endTaint()
                .addNewTaint()
                .withKey("spot")
                .withEffect("PreferNoSchedule")
                .endTaint()
                .endSpec()
                .build();
        Pod tolerating = pod(
                "500m",
                "1Gi",
                List.of(new Toleration("NoSchedule", "gpu", "Equal", null, "yes")),
                Map.of("pool", "ci"));
        assertThat(NodeHeadroom.of(tainted, PodSize.zero(), tolerating).unusable())
                .isNull();
        Pod existsAny = pod("500m", "1Gi", List.of(new Toleration(null, null, "Exists", null, null)), Map.of());
        assertThat(NodeHeadroom.of(tainted, PodSize.zero(), existsAny).room(JOB))
                .isEqualTo(4);
        Pod wrongValue = pod(
                "500m", "1Gi", List.of(new Toleration("NoSchedule", "gpu", "Equal", null, "no")), Map.of("pool", "ci"));
        assertThat(NodeHeadroom.of(tainted, PodSize.zero(), wrongValue).unusable())
                .isEqualTo("taint gpu=yes:NoSchedule not tolerated");
    }

    @Test
    void ephemeralStorageCountsOnlyWhenTheJobPodRequestsIt() {
        Node small = node("small", "4", "8Gi")
                .editStatus()
                .addToAllocatable("ephemeral-storage", new Quantity("1Gi"))
                .endStatus()
                .build();
        assertThat(NodeHeadroom.of(small, PodSize.zero(), JOB_POD).room(JOB)).isEqualTo(8);
        Pod disky = new PodBuilder(JOB_POD)
                .editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests("ephemeral-storage", new Quantity("600Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(NodeHeadroom.of(small, PodSize.zero(), disky).room(PodSize.of(disky)))
                .isEqualTo(1);
    }
}
