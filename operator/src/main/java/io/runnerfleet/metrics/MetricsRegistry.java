package io.runnerfleet.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metric families of one process, in registration order. */
public final class MetricsRegistry {
    private final Map<String, MetricFamily> families = new LinkedHashMap<>();

    public synchronized MetricFamily counter(String name, String help, String... labelNames) {
        return register(new MetricFamily(name, help, MetricType.COUNTER, List.of(labelNames), null));
    }

    public synchronized MetricFamily gauge(String name, String help, String... labelNames) {
        return register(new MetricFamily(name, help, MetricType.GAUGE, List.of(labelNames), null));
    }

    public synchronized MetricFamily histogram(String name, String help, double[] buckets, String... labelNames) {
        return register(new MetricFamily(name, help, MetricType.HISTOGRAM, List.of(labelNames), buckets));
    }

    public synchronized Collection<MetricFamily> families() {
        return new ArrayList<>(families.values());
    }

    public synchronized MetricFamily family(String name) {
        return families.get(name);
    }

    private MetricFamily register(MetricFamily family) {
        if (families.putIfAbsent(family.name(), family) != null) {
            throw new IllegalStateException("metric registered twice: " + family.name());
        }
        return family;
    }
}
