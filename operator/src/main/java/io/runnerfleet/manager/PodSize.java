package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pod counts against a ResourceQuota, by the quota's resource names ({@code pods}, {@code requests.cpu},
 * {@code requests.memory}, {@code limits.cpu}, {@code limits.memory}), each {@link Quantity} parsed once here. The
 * sums follow Kubernetes' {@code PodRequests}/{@code PodLimits} ({@code pkg/api/v1/resource/helpers.go}): the regular
 * containers plus the native sidecars, or the largest init container (with the sidecars started before it) when
 * that is more; pod-level {@code spec.resources} replace the sum where set; {@code spec.overhead} adds. A container
 * with a limit and no request requests its limit (the API server defaults it so).
 */
public record PodSize(Map<String, BigDecimal> amounts) {
    static final String PODS = "pods";
    static final String REQUESTS_CPU = "requests.cpu";
    static final String REQUESTS_MEMORY = "requests.memory";
    static final String LIMITS_CPU = "limits.cpu";
    static final String LIMITS_MEMORY = "limits.memory";
    static final String REQUESTS_EPHEMERAL_STORAGE = "requests.ephemeral-storage";

    public PodSize {
        amounts = Map.copyOf(amounts);
    }

    /** What {@code pod} counts; a terminated pod is not counted by a quota, so it has no size. */
    public static PodSize of(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return new PodSize(Map.of());
        }
        Map<String, BigDecimal> amounts = new TreeMap<>();
        amounts.put(PODS, BigDecimal.ONE);
        // ephemeral-storage is no quota's business here, but a node's allocatable has it (NodeHeadroom).
        for (String resource : List.of("cpu", "memory", "ephemeral-storage")) {
            amounts.put("requests." + resource, total(pod, resource, true));
            amounts.put("limits." + resource, total(pod, resource, false));
        }
        return new PodSize(amounts);
    }

    /** This size and {@code other} together. */
    public PodSize plus(PodSize other) {
        Map<String, BigDecimal> sum = new TreeMap<>(amounts);
        other.amounts.forEach((resource, amount) -> sum.merge(resource, amount, BigDecimal::add));
        return new PodSize(sum);
    }

    public static PodSize zero() {
        return new PodSize(Map.of());
    }

    /** The amount of {@code resource} (a quota's name for it), zero when this size has none. */
    public BigDecimal amount(String resource) {
        return amounts.getOrDefault(resource, BigDecimal.ZERO);
    }

    private static BigDecimal total(Pod pod, String resource, boolean request) {
        var spec = pod.getSpec();
        BigDecimal podLevel = amountOf(spec.getResources(), resource, request);
        if (podLevel != null) {
            return podLevel.add(overhead(pod, resource));
        }
        BigDecimal running = BigDecimal.ZERO;
        BigDecimal sidecars = BigDecimal.ZERO;
        BigDecimal initPeak = BigDecimal.ZERO;
        for (Container init : spec.getInitContainers()) {
            BigDecimal amount = orZero(amountOf(init.getResources(), resource, request));
            if ("Always".equals(init.getRestartPolicy())) {
                sidecars = sidecars.add(amount);
                initPeak = initPeak.max(sidecars);
            } else {
                initPeak = initPeak.max(sidecars.add(amount));
            }
        }
        for (Container container : spec.getContainers()) {
            running = running.add(orZero(amountOf(container.getResources(), resource, request)));
        }
        return running.add(sidecars).max(initPeak).add(overhead(pod, resource));
    }

    private static BigDecimal overhead(Pod pod, String resource) {
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        Quantity q = overhead == null ? null : overhead.get(resource);
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    /** A request, or the limit standing in for a missing request; null when neither is set. */
    private static BigDecimal amountOf(ResourceRequirements resources, String resource, boolean request) {
        if (resources == null) {
            return null;
        }
        List<Map<String, Quantity>> sources = new ArrayList<>();
        if (request) {
            sources.add(resources.getRequests());
        }
        sources.add(resources.getLimits());
        for (Map<String, Quantity> source : sources) {
            if (source != null && source.get(resource) != null) {
                return Quantity.getAmountInBytes(source.get(resource));
            }
        }
        return null;
    }

    private static BigDecimal orZero(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO : amount;
    }
}
