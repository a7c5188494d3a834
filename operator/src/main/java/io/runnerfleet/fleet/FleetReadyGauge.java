package io.runnerfleet.fleet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runnerfleet.api.v1alpha1.ConditionStatus;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.RunnerFleetStatus;
import io.runnerfleet.metrics.MetricNames;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code runner_fleet_fleet_ready{namespace,fleet}} (and the token's expiry) on the operator's /metrics: 1 while the fleet's Ready condition
 * is True, else 0; the series goes away with the fleet. Only the operator that reconciles (the leader) sets it, so
 * two operator replicas never export two series for one fleet.
 */
public final class FleetReadyGauge {
    private final MeterRegistry registry;
    private final Map<Key, Entry> fleets = new ConcurrentHashMap<>();
    private final Map<Key, TokenEntry> tokenExpiries = new ConcurrentHashMap<>();

    private record Key(String namespace, String fleet) {}

    private record Entry(AtomicInteger value, Gauge gauge) {}

    private record TokenEntry(AtomicLong value, Gauge gauge) {}

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

    /**
     * {@code runner_fleet_token_expires_timestamp_seconds{namespace,fleet}}: when the runner token expires, as the
     * managers report it; no series while no manager reports an expiry.
     */
    void setTokenExpiry(String namespace, String fleet, Instant expires) {
        Key key = new Key(namespace, fleet);
        if (expires == null) {
            removeTokenExpiry(key);
            return;
        }
        tokenExpiries
                .computeIfAbsent(key, k -> {
                    AtomicLong value = new AtomicLong();
                    Gauge gauge = Gauge.builder(MetricNames.TOKEN_EXPIRES, value, AtomicLong::get)
                            .description("When the fleet's runner token expires, in seconds since the epoch")
                            .tag("namespace", namespace)
                            .tag("fleet", fleet)
                            .register(registry);
                    return new TokenEntry(value, gauge);
                })
                .value()
                .set(expires.getEpochSecond());
    }

    /** Removes the fleet's series: the fleet was deleted. */
    void remove(String namespace, String fleet) {
        Entry entry = fleets.remove(new Key(namespace, fleet));
        if (entry != null) {
            registry.remove(entry.gauge());
        }
        removeTokenExpiry(new Key(namespace, fleet));
    }

    private void removeTokenExpiry(Key key) {
        TokenEntry entry = tokenExpiries.remove(key);
        if (entry != null) {
            registry.remove(entry.gauge());
        }
    }
}
