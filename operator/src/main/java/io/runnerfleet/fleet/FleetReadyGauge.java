package io.runnerfleet.fleet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runnerfleet.api.v1alpha1.ConditionStatus;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.RunnerFleetStatus;
import io.runnerfleet.metrics.MetricNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code runner_fleet_fleet_ready{namespace,fleet}} on the operator's /metrics: 1 while the fleet's Ready condition
 * is True, else 0; the series goes away with the fleet. Only the operator that reconciles (the leader) sets it, so
 * two operator replicas never export two series for one fleet.
 */
public final class FleetReadyGauge {
    private final MeterRegistry registry;
    private final Map<Key, Entry> fleets = new ConcurrentHashMap<>();

    private record Key(String namespace, String fleet) {}

    private record Entry(AtomicInteger value, Gauge gauge) {}

    public FleetReadyGauge(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the fleet's series from the status just computed for it. */
    void set(String namespace, String fleet, RunnerFleetStatus status) {
        boolean ready = status != null
                && status.condition(FleetConditionType.READY)
                        .filter(c -> c.hasStatus(ConditionStatus.TRUE))
                        .isPresent();
        fleets.computeIfAbsent(new Key(namespace, fleet), key -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge gauge = Gauge.builder(MetricNames.FLEET_READY, value, AtomicInteger::get)
                            .description("1 when the RunnerFleet's Ready condition is True, else 0")
                            .tag("namespace", namespace)
                            .tag("fleet", fleet)
                            .register(registry);
                    return new Entry(value, gauge);
                })
                .value()
                .set(ready ? 1 : 0);
    }

    /** Removes the fleet's series: the fleet was deleted. */
    void remove(String namespace, String fleet) {
        Entry entry = fleets.remove(new Key(namespace, fleet));
        if (entry != null) {
            registry.remove(entry.gauge());
        }
    }
}
