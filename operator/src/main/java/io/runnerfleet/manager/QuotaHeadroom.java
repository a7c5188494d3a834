package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One ResourceQuota's limits and usage, parsed once, and whether one more Job Pod fits under it. Only the resources
 * a Job Pod uses are checked ({@code pods}, {@code requests.*} and {@code limits.*} of cpu and memory, with their
 * other spellings {@code cpu}, {@code memory}, {@code count/pods}); a quota on anything else is left to the API
 * server.
 *
 * <p>{@code status.used} is kept by kube-controller-manager's quota controller and by the quota admission plugin,
 * which adds a pod as it admits it but leaves removals to the controller; it lags, and where no controller runs it
 * may be missing. So usage is the larger of {@code status.used} and what the manager sees itself (its fleet's
 * non-terminated Job Pods in the namespace), plus the Job Pods it reserved room for and has not seen yet (a job
 * request in flight, a pod being created).
 */
public record QuotaHeadroom(String name, Map<String, BigDecimal> hard, Map<String, BigDecimal> used) {
    private static final Map<String, String> CANONICAL = Map.of(
            "cpu",
            PodSize.REQUESTS_CPU,
            "memory",
            PodSize.REQUESTS_MEMORY,
            "count/pods",
            PodSize.PODS,
            PodSize.PODS,
            PodSize.PODS,
            PodSize.REQUESTS_CPU,
            PodSize.REQUESTS_CPU,
            PodSize.REQUESTS_MEMORY,
            PodSize.REQUESTS_MEMORY,
            PodSize.LIMITS_CPU,
            PodSize.LIMITS_CPU,
            PodSize.LIMITS_MEMORY,
            PodSize.LIMITS_MEMORY);
    private static final List<String> ORDER = List.of(
            PodSize.PODS, PodSize.REQUESTS_CPU, PodSize.REQUESTS_MEMORY, PodSize.LIMITS_CPU, PodSize.LIMITS_MEMORY);

    public QuotaHeadroom {
        hard = Map.copyOf(hard);
        used = Map.copyOf(used);
    }

    /**
     * The quota's headroom, or empty for a quota with scopes: those count only some pods (BestEffort, a priority
     * class...), and telling which would repeat the API server's scope matching; the API server still enforces them.
     * The limits are {@code status.hard} (what admission enforces) or, before the controller copied them there,
     * {@code spec.hard}.
     */
    public static Optional<QuotaHeadroom> of(ResourceQuota quota) {
        var spec = quota.getSpec();
        if (spec == null
                || (spec.getScopes() != null && !spec.getScopes().isEmpty())
                || spec.getScopeSelector() != null) {
            return Optional.empty();
        }
        var status = quota.getStatus();
        Map<String, Quantity> hard =
                status != null && status.getHard() != null && !status.getHard().isEmpty()
                        ? status.getHard()
                        : spec.getHard();
        Map<String, Quantity> used = status == null ? null : status.getUsed();
        String name =
                quota.getMetadata().getNamespace() + "/" + quota.getMetadata().getName();
        return Optional.of(new QuotaHeadroom(name, parse(hard), parse(used)));
    }

    /**
     * Why a Job Pod of size {@code wanted} does not fit now, or empty when it does. {@code seen}: the fleet's Job
     * Pods the manager sees in the namespace; {@code reserved}: room it holds for Job Pods it does not see yet.
     */
    public Optional<String> shortfall(PodSize seen, PodSize reserved, PodSize wanted) {
        for (String resource : ORDER) {
            BigDecimal limit = hard.get(resource);
            if (limit == null) {
                continue;
            }
            BigDecimal inUse = used.getOrDefault(resource, BigDecimal.ZERO)
                    .max(seen.amount(resource))
                    .add(reserved.amount(resource));
            BigDecimal need = wanted.amount(resource);
            if (need.signum() > 0 && inUse.add(need).compareTo(limit) > 0) {
                return Optional.of("ResourceQuota " + name + ": " + resource + " " + format(resource, inUse) + " of "
                        + format(resource, limit) + " in use, a Job Pod needs " + format(resource, need));
            }
        }
        return Optional.empty();
    }

    private static Map<String, BigDecimal> parse(Map<String, Quantity> quantities) {
        Map<String, BigDecimal> parsed = new TreeMap<>();
        if (quantities == null) {
            return parsed;
        }
        quantities.forEach((resource, quantity) -> {
            String canonical = CANONICAL.get(resource);
            if (canonical != null && quantity != null) {
                parsed.merge(canonical, Quantity.getAmountInBytes(quantity), BigDecimal::min);
            }
        });
        return parsed;
    }

    /** {@code 2.5} cores, {@code 640Mi} of memory, {@code 3} pods. */
    static String format(String resource, BigDecimal amount) {
        if (resource.endsWith("memory") || resource.endsWith("ephemeral-storage")) {
            return amount.divide(BigDecimal.valueOf(1L << 20), 1, RoundingMode.HALF_UP)
                            .stripTrailingZeros()
                            .toPlainString()
                    + "Mi";
        }
        return amount.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
