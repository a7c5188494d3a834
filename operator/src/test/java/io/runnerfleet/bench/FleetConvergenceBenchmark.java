package io.runnerfleet.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.MockTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fleet convergence: the operator in-process on the mock API server (a fresh one per run), N seed fleets (3 managers
 * x 10 jobs each) spread over namespaces and created at once, the Deployment controller played by
 * {@link DeploymentController}. The figure is seconds from the first create to every fleet {@code Ready=True} with
 * all its objects present. Then a full periodic resync of the unchanged fleets: API write calls (POST, PUT, PATCH,
 * DELETE reaching the API server from anyone) during one resync pass over every fleet; the goal is 0.
 */
public final class FleetConvergenceBenchmark implements Benchmark {
    @Override
    public String name() {
        return "convergence";
    }

    /** One run's outcome. */
    record Run(
            double readySeconds,
            int resyncWrites,
            long resyncReconciliations,
            double resyncPassSeconds,
            List<String> sampleWrites) {}

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        List<Double> passes = new ArrayList<>();
        for (int i = 0; i < size.convergenceRuns(); i++) {
            Run run = run(
                    size.fleets(),
                    size.namespaces(),
                    Duration.ofSeconds(size.resyncSeconds()),
                    i == size.convergenceRuns() - 1);
            seconds.add(run.readySeconds());
            writes.add((double) run.resyncWrites());
            passes.add(run.resyncPassSeconds());
            if (run.resyncWrites() > 0) {
                System.err.println("bench: writes during resync, e.g. " + run.sampleWrites());
            }
        }
        out.add("fleet_convergence_median", Stats.median(seconds), "s");
        out.add("fleet_convergence_worst", Stats.max(seconds), "s");
        out.add("fleet_convergence_fleets", size.fleets(), "fleets");
        out.add("fleet_convergence_namespaces", size.namespaces(), "namespaces");
        out.add("fleet_convergence_runs", size.convergenceRuns(), "runs");
        out.add("fleet_resync_writes_max", Stats.max(writes), "writes");
        out.add("fleet_resync_pass_median", Stats.median(passes), "s");
    }

    static Run run(int fleets, int namespaceCount, Duration resyncInterval, boolean keep) throws Exception {
        ConvergedFleets converged = new ConvergedFleets(namespaceCount);
        boolean kept = false;
        try {
            MockTestCluster cluster = converged.cluster;
            List<String> namespaces = converged.namespaces;
            try (RunnerFleetOperator operator =
                    RunnerFleetOperator.start(cluster.client(), operatorConfig(namespaces, resyncInterval))) {
                long start = System.nanoTime();
                createAll(cluster, namespaces, fleets);
                System.err.printf("bench: %d fleets created in %.1f s%n", fleets, (System.nanoTime() - start) / 1e9);
                awaitReady(cluster, namespaces, fleets, Duration.ofMinutes(10));
                double readySeconds = (System.nanoTime() - start) / 1e9;
                converged.fleets = fleets;
                System.err.printf(
                        "bench: %d fleets Ready in %.1f s, %d reconciliations%n",
                        fleets, readySeconds, reconciliations(operator));
                checkObjects(cluster, namespaces, fleets);
                Run run = resync(cluster, operator, readySeconds, fleets, resyncInterval);
                if (keep) {
                    ConvergedFleets.handOver(converged);
                    kept = true;
                }
                return run;
            }
        } finally {
            if (!kept) {
                converged.close();
            }
        }
    }

    /** The operator's defaults for these namespaces, no health port, logging at WARN (the figures go to stdout). */
    static OperatorConfig operatorConfig(List<String> namespaces, Duration resyncInterval) {
        return new OperatorConfig(Set.copyOf(namespaces), -1, "WARN", null, resyncInterval, false, null, null);
    }

    /** Fleet i goes to namespace i mod n; created from 4 threads, as fast as the API server takes them. */
    static void createAll(MockTestCluster cluster, List<String> namespaces, int fleets) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < fleets; i++) {
                String ns = namespaces.get(i % namespaces.size());
                String name = "fleet-" + i;
                done.add(pool.submit(
                        () -> cluster.client().resource(Fleets.seed(ns, name)).create()));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static void awaitReady(MockTestCluster cluster, List<String> namespaces, int fleets, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            int ready = 0;
            for (String ns : namespaces) {
                for (RunnerFleet f : cluster.client()
                        .resources(RunnerFleet.class)
                        .inNamespace(ns)
                        .list()
                        .getItems()) {
                    if (isReady(f)) {
                        ready++;
                    }
                }
            }
            if (ready == fleets) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ready + " of " + fleets + " fleets Ready after " + atMost);
            }
            Thread.sleep(100);
        }
    }

    static boolean isReady(RunnerFleet f) {
        return f.getStatus() != null
                && f.getStatus().conditions() != null
                && f.getStatus().conditions().stream()
                        .anyMatch(c -> c.type().equals("Ready") && c.status().equals("True"));
    }

    /** Every object the operator should have made for every fleet exists (one list per kind and namespace). */
    private static void checkObjects(MockTestCluster cluster, List<String> namespaces, int fleets) {
        Map<String, Set<String>> wanted = new TreeMap<>();
        Map<String, Class<? extends HasMetadata>> kinds = new TreeMap<>();
        for (String ns : namespaces) {
            for (RunnerFleet fleet : cluster.client()
                    .resources(RunnerFleet.class)
                    .inNamespace(ns)
                    .list()
                    .getItems()) {
                for (HasMetadata want : FleetObjects.of(
                                fleet, OperatorConfig.defaults().defaultsForFleets())
                        .all()) {
                    String key = want.getKind() + " " + want.getMetadata().getNamespace();
                    kinds.put(key, want.getClass());
                    wanted.computeIfAbsent(key, k -> new java.util.TreeSet<>())
                            .add(want.getMetadata().getName());
                }
            }
        }
        if (wanted.isEmpty()) {
            throw new IllegalStateException("no fleets");
        }
        for (var e : wanted.entrySet()) {
            String ns = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            Set<String> have = new java.util.HashSet<>();
            cluster.client()
                    .resources(kinds.get(e.getKey()))
                    .inNamespace(ns)
                    .list()
                    .getItems()
                    .forEach(o -> have.add(o.getMetadata().getName()));
            for (String name : e.getValue()) {
                if (!have.contains(name)) {
                    throw new IllegalStateException(e.getKey() + "/" + name + " missing though its fleet is Ready");
                }
            }
        }
    }

    /**
     * Waits for the next periodic resync and counts the writes while it passes over every fleet: from a quiet
     * moment (no reconciliation started for a second) until the operator has started a reconciliation for every
     * fleet once more, plus a second for the last ones to finish. Does not wait for the operator to be idle again:
     * on the mock, a pass over 1,000 fleets can take longer than the resync interval.
     */
    private static Run resync(
            MockTestCluster cluster,
            RunnerFleetOperator operator,
            double readySeconds,
            int fleets,
            Duration resyncInterval)
            throws InterruptedException {
        awaitIdle(operator, Duration.ofSeconds(1), Duration.ofMinutes(2));
        int writesBefore = cluster.writes().size();
        long before = reconciliations(operator);
        System.err.printf("bench: waiting for a resync after %d reconciliations%n", before);
        long deadline = System.nanoTime() + resyncInterval.multipliedBy(3).toNanos();
        long firstNew = 0;
        while (reconciliations(operator) - before < fleets) {
            if (firstNew == 0 && reconciliations(operator) > before) {
                firstNew = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no full resync within " + resyncInterval.multipliedBy(3) + ": "
                        + (reconciliations(operator) - before) + " reconciliations");
            }
            Thread.sleep(20);
        }
        double passSeconds = firstNew == 0 ? 0 : (System.nanoTime() - firstNew) / 1e9;
        Thread.sleep(1_000);
        List<String> writes = cluster.writes();
        List<String> during = writes.subList(writesBefore, writes.size());
        System.err.printf(
                "bench: resync pass over %d fleets in %.1f s, %d writes%n", fleets, passSeconds, during.size());
        Map<String, Integer> byKind = new TreeMap<>();
        during.forEach(w -> byKind.merge(
                w.replaceAll("/namespaces/[^/]+/", "/namespaces/*/").replaceAll("/[^/?]+(\\?.*)?$", "/*"),
                1,
                Integer::sum));
        return new Run(
                readySeconds,
                during.size(),
                reconciliations(operator) - before,
                passSeconds,
                byKind.entrySet().stream()
                        .map(e -> e.getKey() + " x" + e.getValue())
                        .toList());
    }

    private static void awaitIdle(RunnerFleetOperator operator, Duration quiet, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        long last = reconciliations(operator);
        long lastChange = System.nanoTime();
        while (System.nanoTime() - lastChange < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                return;
            }
            Thread.sleep(100);
            long now = reconciliations(operator);
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
    }

    /** Reconciliations started so far, from JOSDK's Micrometer metrics. */
    static long reconciliations(RunnerFleetOperator operator) {
        return (long) operator.registry().getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.started"))
                .mapToDouble(m -> m instanceof Counter c ? c.count() : m instanceof Timer t ? t.count() : 0)
                .sum();
    }
}
