package io.runnerfleet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks in-process and prints one {@code name=value unit} line per figure on stdout (progress goes to
 * stderr). {@code bench/run [NAME...]} is the way in: it builds, sets the class path and the working directory
 * ({@code operator/}), and writes the figures to {@code bench/results/latest.txt}.
 *
 * <p>Arguments: benchmark names (default: all, in this order: pickup, dispatch, convergence, operator, log, memory,
 * cluster), and
 * {@code --tiny} for the unit test's sizes, and {@code -Dname=value} system properties (so {@code bench/run} passes
 * them); {@code -Dbench.fleets=N} and {@code -Dbench.namespaces=N} change the
 * operator benchmarks' size ({@link BenchSize#withFleetOverrides()}).
 */
public final class BenchMain {
    /** The mock API server logs every request at INFO through JUL, costly at these rates; held (JUL refs are weak). */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private BenchMain() {}

    static Map<String, Benchmark> benchmarks() {
        Map<String, Benchmark> all = new LinkedHashMap<>();
        for (Benchmark b : List.of(
                new PickupLatencyBenchmark(),
                new DispatchRateBenchmark(),
                new FleetConvergenceBenchmark(),
                new OperatorMemoryBenchmark(),
                new LogThroughputBenchmark(),
                new MemoryBenchmark(),
                new RealClusterJobBenchmark())) {
            all.put(b.name(), b);
        }
        return all;
    }

    /** Keeps the mock API server's per-request INFO lines out of a run's output (faults/run uses it too). */
    public static void quietMockApiServer() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public static void main(String[] args) throws Exception {
        quietMockApiServer();
        BenchSize size = BenchSize.full();
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--tiny")) {
                size = BenchSize.tiny();
            } else if (arg.startsWith("-D") && arg.contains("=")) {
                // bench/run passes its arguments here, after the main class: -Dname=value among them is a property.
                int eq = arg.indexOf('=');
                System.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                names.add(arg);
            }
        }
        size = size.withFleetOverrides();
        Map<String, Benchmark> all = benchmarks();
        if (names.isEmpty()) {
            names.addAll(all.keySet());
        }
        for (String name : names) {
            if (!all.containsKey(name)) {
                System.err.println("unknown benchmark " + name + "; known: " + String.join(", ", all.keySet()));
                System.exit(2);
            }
        }
        Figures figures = new Figures(System.out);
        int failed = 0;
        for (String name : names) {
            long start = System.nanoTime();
            System.err.printf("bench: %s ...%n", name);
            try {
                all.get(name).run(size, figures);
                System.err.printf("bench: %s took %.1f s%n", name, (System.nanoTime() - start) / 1e9);
            } catch (Exception | AssertionError e) {
                failed++;
                System.err.printf("bench: %s FAILED after %.1f s: %s%n", name, (System.nanoTime() - start) / 1e9, e);
                e.printStackTrace();
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
