package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One node as the scheduler weighs it for a Job Pod ({@code capacityAware: nodes}), parsed once: why the Job Pod may
 * not go there at all (NotReady, cordoned, a NoSchedule/NoExecute taint it does not tolerate, its nodeSelector or
 * required node affinity), and otherwise how much of each resource the node's allocatable has left after the
 * requests of the pods bound to it. Pure arithmetic; {@link NodeWatch} feeds it.
 *
 * @param unusable why the Job Pod cannot be scheduled there whatever the room, or null
 * @param allocatable the node's {@code status.allocatable}, by {@link PodSize}'s names
 * @param free allocatable minus the requests of its non-terminated pods
 */
record NodeHeadroom(String name, String unusable, Map<String, BigDecimal> allocatable, Map<String, BigDecimal> free) {
    /** A node's resource name, by {@link PodSize}'s name for what a pod requests of it. */
    private static final Map<String, String> NODE_RESOURCES = new TreeMap<>(Map.of(
            PodSize.PODS, "pods",
            PodSize.REQUESTS_CPU, "cpu",
            PodSize.REQUESTS_MEMORY, "memory",
            PodSize.REQUESTS_EPHEMERAL_STORAGE, "ephemeral-storage"));

    NodeHeadroom {
        allocatable = Map.copyOf(allocatable);
        free = Map.copyOf(free);
    }

    /** {@code node} for {@code jobPod}, with {@code requested} the sum of its bound pods' sizes. */
    static NodeHeadroom of(Node node, PodSize requested, Pod jobPod) {
        Map<String, BigDecimal> allocatable = new TreeMap<>();
        Map<String, BigDecimal> free = new TreeMap<>();
        Map<String, Quantity> quantities =
                node.getStatus() == null ? null : node.getStatus().getAllocatable();
        NODE_RESOURCES.forEach((resource, nodeName) -> {
            Quantity q = quantities == null ? null : quantities.get(nodeName);
            BigDecimal amount = q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
            allocatable.put(resource, amount);
            free.put(resource, amount.subtract(requested.amount(resource)));
        });
        return new NodeHeadroom(node.getMetadata().getName(), unusable(node, jobPod), allocatable, free);
    }

    /**
     * How many Job Pods of size {@code wanted} fit on the node at once: 0 when it is unusable, else the least over
     * the resources the pod asks for of free / need. A resource it asks none of never limits it.
     */
    int room(PodSize wanted) {
        if (unusable != null) {
            return 0;
        }
        long room = Long.MAX_VALUE;
        for (String resource : NODE_RESOURCES.keySet()) {
            BigDecimal need = wanted.amount(resource);
            if (need.signum() > 0) {
                BigDecimal fits = free.get(resource).divide(need, 0, RoundingMode.FLOOR);
                room = Math.min(room, Math.max(0, fits.longValue()));
            }
        }
        return (int) Math.min(room, Integer.MAX_VALUE);
    }

    /**
     * Why one more Job Pod of size {@code wanted} cannot be placed now, or empty when one can: the usable nodes
     * together must have room for it and for {@code unbound} more of its size, the manager's Job Pods not scheduled
     * yet (and requests in flight), which the scheduler will place on some of these nodes. The message names the
     * nodes closest to fitting and what they lack, and how many nodes are unusable and why.
     */
    static Optional<String> shortfall(List<NodeHeadroom> nodes, int unbound, PodSize wanted) {
        long room = nodes.stream().mapToLong(n -> n.room(wanted)).sum();
        if (room >= unbound + 1L) {
            return Optional.empty();
        }
        List<NodeHeadroom> usable = nodes.stream()
                .filter(n -> n.unusable == null)
                .sorted(Comparator.comparing((NodeHeadroom n) -> n.shortage(wanted))
                        .thenComparing(NodeHeadroom::name))
                .toList();
        StringBuilder message = new StringBuilder(ManagerReport.NODES_LIMITED_PREFIX)
                .append("no schedulable node has room for ")
                .append(unbound == 0 ? "a Job Pod" : "another Job Pod (" + unbound + " not scheduled yet)");
        List<String> closest = new ArrayList<>();
        for (NodeHeadroom node : usable.subList(0, Math.min(2, usable.size()))) {
            closest.add(node.describe(wanted));
        }
        if (!closest.isEmpty()) {
            message.append("; closest: ").append(String.join("; ", closest));
        }
        List<NodeHeadroom> unusable =
                nodes.stream().filter(n -> n.unusable != null).toList();
        if (!unusable.isEmpty()) {
            message.append("; ").append(unusable.size()).append(" node(s) unusable: ");
            message.append(String.join(
                    ", ",
                    unusable.stream()
                            .limit(3)
                            .map(n -> n.name + " " + n.unusable)
                            .toList()));
            if (unusable.size() > 3) {
                message.append(", ...");
            }
        }
        if (nodes.isEmpty()) {
            message.append("; no node is visible");
        }
        return Optional.of(message.toString());
    }

    /** {@code node-a: cpu 1.8 of 2 requested, a Job Pod needs 0.5}, or its room when it has some. */
    private String describe(PodSize wanted) {
        int room = room(wanted);
        if (room > 0) {
            return name + ": room for " + room;
        }
        for (String resource : NODE_RESOURCES.keySet()) {
            BigDecimal need = wanted.amount(resource);
            if (need.signum() > 0 && free.get(resource).compareTo(need) < 0) {
                String nodeName = NODE_RESOURCES.get(resource);
                return name + ": " + nodeName + " "
                        + QuotaHeadroom.format(
                                nodeName, allocatable.get(resource).subtract(free.get(resource)))
                        + " of " + QuotaHeadroom.format(nodeName, allocatable.get(resource))
                        + " requested, a Job Pod needs " + QuotaHeadroom.format(nodeName, need);
            }
        }
        return name + ": no room";
    }

    /** How far the node is from fitting one Job Pod: the largest lack over the resources, relative to the need. */
    private BigDecimal shortage(PodSize wanted) {
        BigDecimal worst = BigDecimal.ZERO;
        for (String resource : NODE_RESOURCES.keySet()) {
            BigDecimal need = wanted.amount(resource);
            if (need.signum() > 0) {
                BigDecimal lack = need.subtract(free.get(resource)).divide(need, 6, RoundingMode.HALF_UP);
                worst = worst.max(lack);
            }
        }
        return worst;
    }

    private static String unusable(Node node, Pod jobPod) {
        if (!ready(node)) {
            return "NotReady";
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return "cordoned";
        }
        List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        if (taints != null) {
            for (Taint taint : taints) {
                boolean blocks = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
                if (blocks && !tolerated(taint, jobPod.getSpec().getTolerations())) {
                    return "taint " + taint.getKey() + (taint.getValue() == null ? "" : "=" + taint.getValue()) + ":"
                            + taint.getEffect() + " not tolerated";
                }
            }
        }
        return NodeAffinityMatch.mismatch(jobPod, node);
    }

    private static boolean ready(Node node) {
        List<NodeCondition> conditions =
                node.getStatus() == null ? null : node.getStatus().getConditions();
        return conditions != null
                && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The scheduler's {@code ToleratesTaint} ({@code k8s.io/api/core/v1/toleration.go}). */
    private static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration toleration : tolerations) {
            String effect = toleration.getEffect();
            if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
                continue;
            }
            String key = toleration.getKey();
            if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
                continue;
            }
            if ("Exists".equals(toleration.getOperator())) {
                return true;
            }
            if ((key == null || key.isEmpty())) {
                continue; // an empty key with Equal matches nothing
            }
            if (orEmpty(toleration.getValue()).equals(orEmpty(taint.getValue()))) {
                return true;
            }
        }
        return false;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
