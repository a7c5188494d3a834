package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod's {@code nodeSelector} and required node affinity let it onto a node, by the scheduler's rules
 * ({@code k8s.io/component-helpers/scheduling/corev1/nodeaffinity}): every nodeSelector label equal; of the required
 * affinity's terms at least one whose expressions and fields all match. Preferred affinity does not decide.
 */
final class NodeAffinityMatch {
    private NodeAffinityMatch() {}

    /** Why {@code pod} may not go onto {@code node}, or null when it may. */
    static String mismatch(Pod pod, Node node) {
        Map<String, String> labels = labels(node);
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null) {
            for (Map.Entry<String, String> wanted : selector.entrySet()) {
                if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                    return "nodeSelector " + wanted.getKey() + "=" + wanted.getValue() + " not matched";
                }
            }
        }
        var affinity = pod.getSpec().getAffinity();
        var required = affinity == null || affinity.getNodeAffinity() == null
                ? null
                : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            return null;
        }
        for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
            if (matches(term, node.getMetadata().getName(), labels)) {
                return null;
            }
        }
        return "required node affinity not matched";
    }

    private static boolean matches(NodeSelectorTerm term, String nodeName, Map<String, String> labels) {
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false; // an empty term matches no node
        }
        return expressions.stream().allMatch(r -> matches(r, labels))
                && fields.stream()
                        .allMatch(r -> matches(
                                r, "metadata.name".equals(r.getKey()) ? Map.of(r.getKey(), nodeName) : Map.of()));
    }

    private static boolean matches(NodeSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> value != null && values.size() == 1 && compare(value, values.get(0), requirement);
            default -> false;
        };
    }

    private static boolean compare(String value, String bound, NodeSelectorRequirement requirement) {
        try {
            int order = Long.compare(Long.parseLong(value), Long.parseLong(bound));
            return "Gt".equals(requirement.getOperator()) ? order > 0 : order < 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
