package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.runnerfleet.api.v1alpha1.ContainerResources;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.Patterns;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Limits and requests of the build, helper and service containers: the executor's values, raised or lowered by the
 * job's {@code KUBERNETES_*} variables where the executor sets the matching {@code *OverwriteMaxAllowed} cap
 * (gitlab-runner's {@code overwrites.go}). Without a cap the variable is ignored, as upstream; above it the job
 * fails, as upstream.
 */
public final class ResourceOverrides {
    private static final java.util.regex.Pattern QUANTITY = java.util.regex.Pattern.compile(Patterns.QUANTITY);

    /** Which container kind, and the prefix of its override variables. */
    public enum Target {
        BUILD("KUBERNETES_", "build"),
        HELPER("KUBERNETES_HELPER_", "helper"),
        SERVICE("KUBERNETES_SERVICE_", "service"),
        /** Pod-level resources (gitlab-runner's {@code pod_*} keys and {@code KUBERNETES_POD_*} variables). */
        POD("KUBERNETES_POD_", "pod");

        private final String prefix;
        private final String field;

        Target(String prefix, String field) {
            this.prefix = prefix;
            this.field = field;
        }

        public String prefix() {
            return prefix;
        }
    }

    private record Entry(
            String resource,
            boolean limit,
            String variable,
            Function<ContainerResources, String> value,
            Function<ContainerResources, String> cap,
            String field) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry(
                    "cpu",
                    true,
                    "CPU_LIMIT",
                    ContainerResources::cpuLimit,
                    ContainerResources::cpuLimitOverwriteMaxAllowed,
                    "cpuLimitOverwriteMaxAllowed"),
            new Entry(
                    "cpu",
                    false,
                    "CPU_REQUEST",
                    ContainerResources::cpuRequest,
                    ContainerResources::cpuRequestOverwriteMaxAllowed,
                    "cpuRequestOverwriteMaxAllowed"),
            new Entry(
                    "memory",
                    true,
                    "MEMORY_LIMIT",
                    ContainerResources::memoryLimit,
                    ContainerResources::memoryLimitOverwriteMaxAllowed,
                    "memoryLimitOverwriteMaxAllowed"),
            new Entry(
                    "memory",
                    false,
                    "MEMORY_REQUEST",
                    ContainerResources::memoryRequest,
                    ContainerResources::memoryRequestOverwriteMaxAllowed,
                    "memoryRequestOverwriteMaxAllowed"),
            new Entry(
                    "ephemeral-storage",
                    true,
                    "EPHEMERAL_STORAGE_LIMIT",
                    ContainerResources::ephemeralStorageLimit,
                    ContainerResources::ephemeralStorageLimitOverwriteMaxAllowed,
                    "ephemeralStorageLimitOverwriteMaxAllowed"),
            new Entry(
                    "ephemeral-storage",
                    false,
                    "EPHEMERAL_STORAGE_REQUEST",
                    ContainerResources::ephemeralStorageRequest,
                    ContainerResources::ephemeralStorageRequestOverwriteMaxAllowed,
                    "ephemeralStorageRequestOverwriteMaxAllowed"));

    private ResourceOverrides() {}

    /**
     * @param variables the variables that may override (the job's; for one service, its own after the job's)
     * @param secret    which of them are secret: their values are never quoted in a message
     */
    public static ResourceRequirements resolve(
            ContainerResources base, Target target, Map<String, String> variables, Predicate<String> secret) {
        Map<String, Quantity> limits = new TreeMap<>();
        Map<String, Quantity> requests = new TreeMap<>();
        for (Entry entry : ENTRIES) {
            String value = entry.value().apply(base);
            String variable = target.prefix + entry.variable();
            String override = variables.get(variable);
            String cap = entry.cap().apply(base);
            if (override != null && !override.isBlank() && cap != null) {
                value = checked(override.trim(), cap, variable, target, entry, secret.test(variable));
            }
            if (value != null && !value.isBlank()) {
                (entry.limit() ? limits : requests).put(entry.resource(), new Quantity(value));
            }
        }
        for (Map.Entry<String, Quantity> request : requests.entrySet()) {
            Quantity limit = limits.get(request.getKey());
            if (limit != null && amount(request.getValue()).compareTo(amount(limit)) > 0) {
                throw new JobPodException(target.field + " container: " + request.getKey() + " request "
                        + request.getValue() + " is above its limit " + limit + "; Kubernetes rejects such a pod. "
                        + "Lower " + target.prefix
                        + request.getKey().toUpperCase(Locale.ROOT).replace('-', '_')
                        + "_REQUEST or raise the limit");
            }
        }
        ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
        if (!limits.isEmpty()) {
            builder.withLimits(limits);
        }
        if (!requests.isEmpty()) {
            builder.withRequests(requests);
        }
        return builder.build();
    }

    /**
     * The pod-level resources ({@code pod_*}, raised by {@code KUBERNETES_POD_*}), or null when the fleet sets none,
     * so the pod carries no empty field.
     */
    static ResourceRequirements pod(ExecutorSpec executor, Map<String, String> variables, Predicate<String> secret) {
        ResourceRequirements resources = resolve(executor.pod(), Target.POD, variables, secret);
        boolean empty = (resources.getLimits() == null || resources.getLimits().isEmpty())
                && (resources.getRequests() == null || resources.getRequests().isEmpty());
        return empty ? null : resources;
    }

    private static String checked(
            String override, String cap, String variable, Target target, Entry entry, boolean secret) {
        if (!QUANTITY.matcher(override).matches()) {
            throw new JobPodException(
                    "variable " + variable + (secret ? "" : " = \"" + ServiceHostnames.printable(override) + "\"")
                            + " is not a Kubernetes quantity; expected e.g. 500m, 2, 512Mi or 2Gi");
        }
        if (amount(new Quantity(override)).compareTo(amount(new Quantity(cap))) > 0) {
            throw new JobPodException("variable " + variable + (secret ? "" : " = " + override) + " is above the "
                    + "fleet's cap " + cap + " (spec.executor." + target.field + "." + entry.field() + "); ask for at "
                    + "most " + cap + " or raise the cap");
        }
        return override;
    }

    static BigDecimal amount(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }
}
