package io.runnerfleet.importer;

import io.runnerfleet.api.v1alpha1.WarmCapacityPolicy;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.base.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * gitlab-runner's {@code [runners.kubernetes.autoscaler]} ({@code common/config.go} {@code
 * KubernetesAutoscalerConfig} and {@code AutoscalerPolicyConfig}) as {@code spec.warmCapacity}. The operator keeps the
 * pause pods, so the managers never read this table; only {@code import} does. Keys without a counterpart are
 * warnings, a value of the wrong type exits with status 2 naming the key.
 */
final class ImportedWarmCapacity {
    private static final Set<String> TABLE_KEYS =
            Set.of("max_pause_pods", "pause_pod_image", "pause_pod_priority_class_name", "policy");
    private static final Set<String> POLICY_KEYS =
            Set.of("periods", "timezone", "idle_count", "idle_time", "scale_factor", "scale_factor_limit");

    private ImportedWarmCapacity() {}

    /** The table at {@code path} in {@code source}; null when it keeps no pause pod (no policy), with a warning. */
    static WarmCapacitySpec of(TomlTable table, String source, String path, List<String> warnings) {
        for (String key : table.keySet()) {
            if (key.equals("pause_pod_image_pull_secrets")) {
                warnings.add(source + ": " + path + "." + key + ": pause pods pull their image without pull secrets "
                        + "in runner-fleet; use an image the nodes can pull (spec.warmCapacity.image); dropped");
            } else if (!TABLE_KEYS.contains(key)) {
                warnings.add(source + ": " + path + "." + key
                        + ": not a key of gitlab-runner's [runners.kubernetes.autoscaler]; dropped");
            }
        }
        TomlArray policies = table.isArray("policy") ? table.getArray("policy") : null;
        if (policies == null || policies.isEmpty()) {
            warnings.add(source + ": " + path + ": no [[policy]], so gitlab-runner keeps no pause pods; no "
                    + "spec.warmCapacity");
            return null;
        }
        List<WarmCapacityPolicy> imported = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            imported.add(policy(policies.getTable(i), source, path + ".policy[" + i + "]", warnings));
        }
        Long max = integer(table, "max_pause_pods", source, path);
        return new WarmCapacitySpec(
                imported,
                string(table, "pause_pod_priority_class_name", source, path),
                string(table, "pause_pod_image", source, path),
                max == null ? null : Math.toIntExact(max));
    }

    private static WarmCapacityPolicy policy(TomlTable policy, String source, String path, List<String> warnings) {
        for (String key : policy.keySet()) {
            if (key.equals("preemptive_mode")) {
                warnings.add(source + ": " + path + "." + key + ": a fleeting instance setting; pause pods are always"
                        + " preempted by Job Pods; dropped");
            } else if (!POLICY_KEYS.contains(key)) {
                warnings.add(source + ": " + path + "." + key + ": not a key of gitlab-runner's autoscaler policy; "
                        + "dropped");
            }
        }
        List<String> periods = new ArrayList<>();
        if (policy.contains("periods")) {
            if (!policy.isArray("periods")) {
                throw new InvalidInputException(
                        source,
                        path + ".periods",
                        "expected an array of cron strings, " + "e.g. periods = [\"* 8-17 * * mon-fri\"]");
            }
            TomlArray array = policy.getArray("periods");
            for (int i = 0; i < array.size(); i++) {
                periods.add(String.valueOf(array.get(i)));
            }
        }
        Long idle = integer(policy, "idle_count", source, path);
        Long limit = integer(policy, "scale_factor_limit", source, path);
        return new WarmCapacityPolicy(
                periods,
                string(policy, "timezone", source, path),
                idle == null ? null : Math.toIntExact(idle),
                idleTime(policy, source, path),
                number(policy, "scale_factor", source, path),
                limit == null ? null : Math.toIntExact(limit));
    }

    /** A Go duration string as gitlab-runner's TOML decoder takes it ("10m"), or an integer of nanoseconds. */
    private static String idleTime(TomlTable policy, String source, String path) {
        Object value = policy.get("idle_time");
        if (value == null) {
            return null;
        }
        if (value instanceof Long nanos) {
            return GoDurations.ofSeconds(nanos / 1_000_000_000L);
        }
        String text = String.valueOf(value);
        try {
            GoDurations.parse(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    source, path + ".idle_time", "\"" + text + "\" is not a duration; write one such as \"10m\"");
        }
    }

    private static String string(TomlTable table, String key, String source, String path) {
        Object value = table.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new InvalidInputException(source, path + "." + key, "expected a string");
    }

    private static Long integer(TomlTable table, String key, String source, String path) {
        Object value = table.get(key);
        if (value == null || value instanceof Long) {
            return (Long) value;
        }
        throw new InvalidInputException(source, path + "." + key, "expected a whole number");
    }

    private static Double number(TomlTable table, String key, String source, String path) {
        Object value = table.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidInputException(source, path + "." + key, "expected a number such as 0.5");
    }
}
