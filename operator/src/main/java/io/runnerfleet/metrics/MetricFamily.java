package io.runnerfleet.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One metric and its series, keyed by label values. Label names are fixed at registration so cardinality stays
 * under the code's control (no job ids in labels).
 */
public final class MetricFamily {
    private final String name;
    private final String help;
    private final MetricType type;
    private final List<String> labelNames;
    private final double[] buckets;
    private final Map<List<String>, Series> series = new ConcurrentSkipListMap<>(MetricFamily::compareLabels);

    MetricFamily(String name, String help, MetricType type, List<String> labelNames, double[] buckets) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = List.copyOf(labelNames);
        this.buckets = buckets == null ? new double[0] : buckets.clone();
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public MetricType type() {
        return type;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    double[] buckets() {
        return buckets.clone();
    }

    Map<List<String>, Series> series() {
        return series;
    }

    /** Adds to a counter series. */
    public void increment(double amount, String... labelValues) {
        if (type != MetricType.COUNTER) {
            throw new IllegalStateException(name + " is not a counter");
        }
        if (amount < 0) {
            throw new IllegalArgumentException("counters only go up: " + name);
        }
        seriesFor(labelValues).sum.add(amount);
    }

    public void increment(String... labelValues) {
        increment(1, labelValues);
    }

    /** Sets a gauge series. */
    public void set(double value, String... labelValues) {
        if (type != MetricType.GAUGE) {
            throw new IllegalStateException(name + " is not a gauge");
        }
        seriesFor(labelValues).gauge = value;
    }

    /** Records one observation in a histogram series. */
    public void observe(double value, String... labelValues) {
        if (type != MetricType.HISTOGRAM) {
            throw new IllegalStateException(name + " is not a histogram");
        }
        Series s = seriesFor(labelValues);
        s.sum.add(value);
        s.count.increment();
        for (int i = 0; i < buckets.length; i++) {
            if (value <= buckets[i]) {
                s.bucketCounts[i].increment();
            }
        }
    }

    /** Drops series that no longer exist (e.g. a job state nobody is in), so gauges do not go stale. */
    public void clear() {
        series.clear();
    }

    /** Current value of a counter or gauge series, or NaN when it does not exist; for tests and health. */
    public double value(String... labelValues) {
        Series s = series.get(List.of(labelValues));
        if (s == null) {
            return Double.NaN;
        }
        return type == MetricType.GAUGE ? s.gauge : s.sum.sum();
    }

    private Series seriesFor(String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(
                    name + " takes labels " + labelNames + ", got " + Arrays.toString(labelValues));
        }
        return series.computeIfAbsent(List.of(labelValues), k -> new Series(buckets.length));
    }

    private static int compareLabels(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** One labelled series. */
    static final class Series {
        final DoubleAdder sum = new DoubleAdder();
        final LongAdder count = new LongAdder();
        final LongAdder[] bucketCounts;
        volatile double gauge;

        Series(int buckets) {
            bucketCounts = new LongAdder[buckets];
            for (int i = 0; i < buckets; i++) {
                bucketCounts[i] = new LongAdder();
            }
        }

        List<Long> cumulativeBuckets() {
            List<Long> counts = new ArrayList<>();
            for (LongAdder bucket : bucketCounts) {
                counts.add(bucket.sum());
            }
            return counts;
        }
    }

    static Map<String, MetricFamily> newIndex() {
        return new ConcurrentHashMap<>();
    }
}
