package io.runnerfleet.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a registry as Prometheus text format 0.0.4 or OpenMetrics 1.0.0, whichever the scraper's
 * {@code Accept} header asks for (Prometheus 2.x asks for OpenMetrics first).
 */
public final class Exposition {
    public static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private Exposition() {}

    public static String contentTypeFor(String acceptHeader) {
        return acceptHeader != null && acceptHeader.contains("application/openmetrics-text") ? OPENMETRICS : TEXT_0_0_4;
    }

    public static String render(MetricsRegistry registry, String contentType) {
        boolean openMetrics = OPENMETRICS.equals(contentType);
        Set<String> names = new HashSet<>();
        registry.families().forEach(f -> names.add(f.name()));
        StringBuilder out = new StringBuilder();
        for (MetricFamily family : registry.families()) {
            renderFamily(family, openMetrics ? openMetricsHeader(family, names) : textHeader(family), out);
        }
        if (openMetrics) {
            out.append("# EOF\n");
        }
        return out.toString();
    }

    /** Family name and type as the # HELP/# TYPE lines give them. */
    private record Header(String familyName, String type) {}

    private static Header textHeader(MetricFamily family) {
        return new Header(family.name(), family.type().text());
    }

    /**
     * OpenMetrics names a counter's family without {@code _total}. gitlab-runner exports both the gauge
     * {@code gitlab_runner_jobs} and the counter {@code gitlab_runner_jobs_total}, whose family names would clash;
     * such a counter, and any counter not ending in {@code _total}, is typed {@code unknown} to keep its name.
     */
    private static Header openMetricsHeader(MetricFamily family, Set<String> names) {
        if (family.type() != MetricType.COUNTER) {
            return textHeader(family);
        }
        String name = family.name();
        if (name.endsWith("_total")) {
            String stem = name.substring(0, name.length() - "_total".length());
            if (!names.contains(stem)) {
                return new Header(stem, "counter");
            }
        }
        return new Header(name, "unknown");
    }

    private static void renderFamily(MetricFamily family, Header header, StringBuilder out) {
        out.append("# HELP ")
                .append(header.familyName())
                .append(' ')
                .append(escapeHelp(family.help()))
                .append('\n');
        out.append("# TYPE ")
                .append(header.familyName())
                .append(' ')
                .append(header.type())
                .append('\n');
        for (Map.Entry<List<String>, MetricFamily.Series> entry :
                family.series().entrySet()) {
            String labels = labels(family.labelNames(), entry.getKey(), null, null);
            MetricFamily.Series series = entry.getValue();
            switch (family.type()) {
                case COUNTER -> sample(out, family.name(), labels, series.sum.sum());
                case GAUGE -> sample(out, family.name(), labels, series.gauge);
                case HISTOGRAM -> {
                    double[] bounds = family.buckets();
                    List<Long> counts = series.cumulativeBuckets();
                    for (int i = 0; i < bounds.length; i++) {
                        sample(
                                out,
                                family.name() + "_bucket",
                                labels(family.labelNames(), entry.getKey(), "le", number(bounds[i])),
                                counts.get(i));
                    }
                    long count = series.count.sum();
                    sample(
                            out,
                            family.name() + "_bucket",
                            labels(family.labelNames(), entry.getKey(), "le", "+Inf"),
                            count);
                    sample(out, family.name() + "_sum", labels, series.sum.sum());
                    sample(out, family.name() + "_count", labels, count);
                }
                default -> throw new IllegalStateException("unknown type " + family.type());
            }
        }
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    private static String labels(List<String> names, List<String> values, String extraName, String extraValue) {
        if (names.isEmpty() && extraName == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(names.get(i))
                    .append("=\"")
                    .append(escapeLabel(values.get(i)))
                    .append('"');
        }
        if (extraName != null) {
            if (!names.isEmpty()) {
                out.append(',');
            }
            out.append(extraName).append("=\"").append(extraValue).append('"');
        }
        return out.append('}').toString();
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
