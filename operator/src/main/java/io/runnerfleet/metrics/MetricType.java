package io.runnerfleet.metrics;

/** Prometheus metric types, as {@code # TYPE} lines name them. */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
