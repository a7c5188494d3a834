package io.runnerfleet.explain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU and memory of a Job Pod while its job runs: the regular containers plus the native sidecars (services), which
 * run alongside them. The {@code prepare} init container runs before and alone, so it does not add up (Kubernetes
 * takes the larger of the two). A container with a limit but no request gets the limit as request.
 */
record ResourceTotals(
        List<Row> rows,
        BigDecimal cpuLimit,
        BigDecimal cpuRequest,
        BigDecimal memoryLimit,
        BigDecimal memoryRequest,
        boolean unbounded) {

    /** One container's share; {@code counted} is false for the init container that runs before the rest. */
    record Row(
            String name,
            String role,
            String cpuLimit,
            String cpuRequest,
            String memoryLimit,
            String memoryRequest,
            boolean counted) {}

    static ResourceTotals of(Pod pod) {
        List<Row> rows = new ArrayList<>();
        BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        boolean[] unbounded = {false};
        for (Container c : pod.getSpec().getInitContainers()) {
            boolean sidecar = "Always".equals(c.getRestartPolicy());
            rows.add(row(c, sidecar ? "service (sidecar)" : "init, runs first", sidecar, sums, unbounded));
        }
        for (Container c : pod.getSpec().getContainers()) {
            String role = c.getName().equals("build") || c.getName().equals("helper") ? c.getName() : "service";
            rows.add(row(c, role, true, sums, unbounded));
        }
        return new ResourceTotals(rows, sums[0], sums[1], sums[2], sums[3], unbounded[0]);
    }

    private static Row row(Container c, String role, boolean counted, BigDecimal[] sums, boolean[] unbounded) {
        Map<String, Quantity> limits =
                c.getResources() == null || c.getResources().getLimits() == null
                        ? Map.of()
                        : c.getResources().getLimits();
        Map<String, Quantity> requests =
                c.getResources() == null || c.getResources().getRequests() == null
                        ? Map.of()
                        : c.getResources().getRequests();
        Quantity cpuLimit = limits.get("cpu");
        Quantity memoryLimit = limits.get("memory");
        Quantity cpuRequest = requests.getOrDefault("cpu", cpuLimit);
        Quantity memoryRequest = requests.getOrDefault("memory", memoryLimit);
        if (counted) {
            unbounded[0] |= cpuLimit == null || memoryLimit == null;
            sums[0] = sums[0].add(amount(cpuLimit));
            sums[1] = sums[1].add(amount(cpuRequest));
            sums[2] = sums[2].add(amount(memoryLimit));
            sums[3] = sums[3].add(amount(memoryRequest));
        }
        return new Row(
                c.getName(), role, text(cpuLimit), text(cpuRequest), text(memoryLimit), text(memoryRequest), counted);
    }

    private static BigDecimal amount(Quantity q) {
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static String text(Quantity q) {
        return q == null ? "-" : q.toString();
    }

    /** {@code 4.5} for cores. */
    static String cores(BigDecimal cores) {
        return cores.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** {@code 4.5Gi} or {@code 2.25Gi}; {@code 640Mi} below 1Gi or when Gi would need more decimals. */
    static String bytes(BigDecimal bytes) {
        BigDecimal gi = bytes.divide(BigDecimal.valueOf(1L << 30), 3, RoundingMode.HALF_UP);
        if (gi.compareTo(BigDecimal.ONE) >= 0 && gi.stripTrailingZeros().scale() <= 2) {
            return gi.stripTrailingZeros().toPlainString() + "Gi";
        }
        return bytes.divide(BigDecimal.valueOf(1L << 20), 1, RoundingMode.HALF_UP)
                        .stripTrailingZeros()
                        .toPlainString() + "Mi";
    }
}
