package io.runnerfleet.explain;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.WarmCapacityPolicy;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.desired.JobPodFootprint;
import io.runnerfleet.jobpod.JobPodFootprints;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code spec.warmCapacity} in words: each policy's rule, which applies when several are active, and what one pause
 * pod holds (the footprint of the fleet's Job Pod without services, as the operator sizes it).
 */
final class WarmCapacityExplanation {
    private WarmCapacityExplanation() {}

    static void append(StringBuilder out, WarmCapacitySpec warm, Pod placeholderPod) {
        if (warm == null) {
            return;
        }
        out.append("  Warm capacity: pause pods of PriorityClass ")
                .append(warm.effectivePriorityClass())
                .append(warm.ownPriorityClass() ? " (value -1, created by the operator)" : " (yours)")
                .append(", image ")
                .append(warm.effectiveImage())
                .append(warm.maxPods() > 0 ? ", at most " + warm.maxPods() : "")
                .append("; of the active policies the last applies, none active: no pause pod\n");
        List<WarmCapacityPolicy> policies = warm.policies();
        for (int i = 0; i < policies.size(); i++) {
            out.append("    policies[")
                    .append(i)
                    .append("] ")
                    .append(rule(policies.get(i)))
                    .append('\n');
        }
        JobPodFootprint footprint = JobPodFootprints.of(placeholderPod);
        Map<String, String> requests = new TreeMap<>();
        footprint.requests().forEach((k, v) -> requests.put(k, v.toString()));
        out.append("    Each pause pod requests ")
                .append(requests.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")))
                .append(" (the Job Pod without services), on the Job Pods' nodes; a Job Pod preempts it\n");
    }

    private static String rule(WarmCapacityPolicy p) {
        String count = p.factor() > 0
                ? "max(" + p.idle() + ", ceil(running jobs x " + p.factor() + ")"
                        + (p.factorLimit() > 0 ? " up to " + p.factorLimit() : "") + ")"
                : String.valueOf(p.idle());
        String when = p.periods().isEmpty()
                ? "always"
                : "during " + String.join(" or ", p.periods()) + " (" + p.effectiveTimezone() + ")";
        return count + " pause pods " + when + "; fewer only after " + p.effectiveIdleTime();
    }
}
