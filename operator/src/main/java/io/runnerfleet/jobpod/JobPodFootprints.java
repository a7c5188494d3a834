package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runnerfleet.desired.JobPodFootprint;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A built Job Pod's {@link JobPodFootprint}: its effective requests as the scheduler computes them (Kubernetes
 * "Resource sharing within containers" and the sidecar KEP-753): the regular containers plus the native sidecars
 * (services) together, or an init container (prepare) plus the sidecars started before it when that is more. A
 * container with a limit and no request gets the limit as its request, as the API server defaults it.
 */
public final class JobPodFootprints {
    private static final BigDecimal MEBI = BigDecimal.valueOf(1024L * 1024L);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private JobPodFootprints() {}

    public static JobPodFootprint of(Pod pod) {
        PodSpec spec = pod.getSpec();
        return new JobPodFootprint(
                requests(spec),
                spec.getNodeSelector(),
                spec.getTolerations(),
                spec.getAffinity(),
                spec.getRuntimeClassName());
    }

    /** The effective requests of a pod spec, by resource name. */
    public static Map<String, Quantity> requests(PodSpec spec) {
        Set<String> names = new TreeSet<>();
        List<Container> inits = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        inits.forEach(c -> names.addAll(requestsOf(c).keySet()));
        spec.getContainers().forEach(c -> names.addAll(requestsOf(c).keySet()));
        Map<String, Quantity> requests = new HashMap<>();
        for (String name : names) {
            BigDecimal sidecars = BigDecimal.ZERO;
            BigDecimal largestInit = BigDecimal.ZERO;
            for (Container c : inits) {
                BigDecimal amount = amount(c, name);
                if ("Always".equals(c.getRestartPolicy())) {
                    sidecars = sidecars.add(amount);
                } else {
                    largestInit = largestInit.max(amount.add(sidecars));
                }
            }
            BigDecimal running = sidecars;
            for (Container c : spec.getContainers()) {
                running = running.add(amount(c, name));
            }
            BigDecimal effective = running.max(largestInit);
            if (effective.signum() > 0) {
                requests.put(name, quantity(name, effective));
            }
        }
        return requests;
    }

    private static BigDecimal amount(Container c, String name) {
        Quantity q = requestsOf(c).get(name);
        return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
    }

    private static Map<String, Quantity> requestsOf(Container c) {
        if (c.getResources() == null) {
            return Map.of();
        }
        Map<String, Quantity> merged = new HashMap<>();
        if (c.getResources().getLimits() != null) {
            merged.putAll(c.getResources().getLimits());
        }
        if (c.getResources().getRequests() != null) {
            merged.putAll(c.getResources().getRequests());
        }
        return merged;
    }

    /** CPU in millicores, memory-like amounts in Mi when whole, else the plain number: exact either way. */
    private static Quantity quantity(String name, BigDecimal amount) {
        if (name.equals("cpu")) {
            return new Quantity(amount.multiply(THOUSAND).stripTrailingZeros().toPlainString() + "m");
        }
        BigDecimal[] mebi = amount.divideAndRemainder(MEBI);
        if (mebi[1].signum() == 0) {
            return new Quantity(mebi[0].toPlainString() + "Mi");
        }
        return new Quantity(amount.stripTrailingZeros().toPlainString());
    }
}
