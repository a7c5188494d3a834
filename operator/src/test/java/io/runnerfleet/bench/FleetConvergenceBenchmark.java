package io.runnerfleet.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.fleet.DesiredStateMatcher;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Fleet convergence on the real kube-apiserver + etcd ({@link ConvergedFleets#onRealApiServer}): the operator
 * in-process, N seed fleets (3 managers x 10 jobs each) spread over namespaces and created at once, the Deployment
 * controller played by {@link DeploymentController}. Figures, each beside a baseline of the same run:
 *
 * <ul>
 *   <li>convergence: seconds from the first create to every fleet {@code Ready=True} with all its objects present;
 *       baseline: the seconds the benchmark's own N creates of the fleets took (what the API server and etcd need
 *       to write N objects from 4 threads).</li>
 *   <li>restart pass: the operator stopped and started again (a new leader, a rolling update): seconds from its
 *       start to a reconciliation of every fleet, and the API writes meanwhile (goal 0).</li>
 *   <li>resync pass: the next periodic resync of the unchanged fleets (its reconciliations fall as close together
 *       as the restart pass's, so the pass measures the work, not the spread of the convergence): seconds from its
 *       first reconciliation to the N-th; the API writes, Events and non-watch reads meanwhile (goal 0 each: the
 *       caches hold everything a resync reads); baseline: building and matching every fleet's desired objects
 *       against the objects as the API server has them, in one thread, with no API call (the pure work of a
 *       pass).</li>
 * </ul>
 */
public final class FleetConvergenceBenchmark implements Benchmark {
    @Override
    public String name() {
        return "convergence";
    }

    /** One run's outcome; {@code resyncReads} is -1 where the API server does not count reads (the mock). */
    record Run(
            double createSeconds,
            double readySeconds,
            double restartPassSeconds,
            int restartWrites,
            double resyncPassSeconds,
            long resyncReconciliations,
            int resyncWrites,
            int resyncEvents,
            int resyncReads,
            double buildMatchSeconds,
            List<String> sampleWrites,
            List<String> sampleReads) {}

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        Run run = run(
                ConvergedFleets::onRealApiServer,
                size.fleets(),
                size.namespaces(),
                Duration.ofSeconds(size.resyncSeconds()),
                true);
        if (run.resyncWrites() + run.restartWrites() > 0) {
            System.err.println("bench: writes after convergence, e.g. " + run.sampleWrites());
        }
        if (run.resyncReads() > 0) {
            System.err.println("bench: reads during the resync, e.g. " + run.sampleReads());
        }
        out.add("fleet_convergence_fleets", size.fleets(), "fleets");
        out.add("fleet_convergence_namespaces", size.namespaces(), "namespaces");
        out.add("fleet_convergence_real", run.readySeconds(), "s");
        out.add("fleet_convergence_real_baseline_creates", run.createSeconds(), "s");
        out.add("fleet_convergence_real_ratio_to_creates", run.readySeconds() / run.createSeconds(), "x");
        out.add("fleet_restart_pass_real", run.restartPassSeconds(), "s");
        out.add("fleet_restart_writes_real", run.restartWrites(), "writes");
        out.add("fleet_resync_pass_real", run.resyncPassSeconds(), "s");
        out.add("fleet_resync_real_baseline_build_match", run.buildMatchSeconds(), "s");
        out.add("fleet_resync_real_ratio_to_build_match", run.resyncPassSeconds() / run.buildMatchSeconds(), "x");
        out.add("fleet_resync_writes_real", run.resyncWrites(), "writes");
        out.add("fleet_resync_events_real", run.resyncEvents(), "events");
        out.add("fleet_resync_reads_real", run.resyncReads(), "reads");
    }

    static Run run(
            IntFunction<ConvergedFleets> apiServer,
            int fleets,
            int namespaceCount,
            Duration resyncInterval,
            boolean keep)
            throws Exception {
        ConvergedFleets converged = apiServer.apply(namespaceCount);
        boolean kept = false;
        try {
            TestCluster cluster = converged.cluster;
            List<String> namespaces = converged.namespaces;
            double createSeconds;
            double readySeconds;
            Map<String, HasMetadata> actual;
            try (RunnerFleetOperator operator =
                    RunnerFleetOperator.start(cluster.client(), operatorConfig(namespaces, resyncInterval))) {
                long start = System.nanoTime();
                createAll(cluster, namespaces, fleets);
                createSeconds = (System.nanoTime() - start) / 1e9;
                System.err.printf("bench: %d fleets created in %.1f s%n", fleets, createSeconds);
                awaitReady(cluster, namespaces, fleets, Duration.ofMinutes(10));
                readySeconds = (System.nanoTime() - start) / 1e9;
                converged.fleets = fleets;
                System.err.printf(
                        "bench: %d fleets Ready in %.1f s, %d reconciliations%n",
                        fleets, readySeconds, reconciliations(operator));
                actual = checkObjects(cluster, namespaces);
                awaitIdle(operator, Duration.ofSeconds(1), Duration.ofMinutes(2));
            }
            double buildMatchSeconds = buildAndMatch(cluster, namespaces, actual);
            Run run;
            int writesBefore = cluster.writes().size();
            long restart = System.nanoTime();
            try (RunnerFleetOperator operator =
                    RunnerFleetOperator.start(cluster.client(), operatorConfig(namespaces, resyncInterval))) {
                awaitReconciliations(operator, 0, fleets, Duration.ofMinutes(5));
                double restartSeconds = (System.nanoTime() - restart) / 1e9;
                Thread.sleep(1_000);
                List<String> restartWrites = since(cluster.writes(), writesBefore);
                System.err.printf(
                        "bench: restart pass over %d fleets in %.1f s, %d writes%n",
                        fleets, restartSeconds, restartWrites.size());
                run = resync(
                        cluster,
                        operator,
                        new Run(
                                createSeconds,
                                readySeconds,
                                restartSeconds,
                                restartWrites.size(),
                                0,
                                0,
                                0,
                                0,
                                0,
                                buildMatchSeconds,
                                summary(restartWrites),
                                List.of()),
                        fleets,
                        resyncInterval);
            }
            if (keep) {
                ConvergedFleets.handOver(converged);
                kept = true;
            }
            return run;
        } finally {
            if (!kept) {
                converged.close();
            }
        }
    }

    /** The operator's defaults for these namespaces, no health port, logging at WARN (the figures go to stdout). */
    public static OperatorConfig operatorConfig(List<String> namespaces, Duration resyncInterval) {
        return new OperatorConfig(Set.copyOf(namespaces), -1, "WARN", null, resyncInterval, false, null, null);
    }

    /** Fleet i goes to namespace i mod n; created from 4 threads, as fast as the API server takes them. */
    public static void createAll(TestCluster cluster, List<String> namespaces, int fleets) throws Exception {
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

    static void awaitReady(TestCluster cluster, List<String> namespaces, int fleets, Duration atMost)
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

    public static boolean isReady(RunnerFleet f) {
        return f.getStatus() != null
                && f.getStatus().conditions() != null
                && f.getStatus().conditions().stream()
                        .anyMatch(c -> c.type().equals("Ready") && c.status().equals("True"));
    }

    /**
     * Every object the operator should have made for every fleet exists (one list per kind and namespace); returns
     * them by {@link #key}.
     */
    private static Map<String, HasMetadata> checkObjects(TestCluster cluster, List<String> namespaces) {
        Map<String, Set<String>> wanted = new TreeMap<>();
        Map<String, Class<? extends HasMetadata>> kinds = new TreeMap<>();
        for (RunnerFleet fleet : fleets(cluster, namespaces)) {
            for (HasMetadata want : FleetObjects.of(
                            fleet, OperatorConfig.defaults().defaultsForFleets())
                    .all()) {
                String key = want.getKind() + " " + want.getMetadata().getNamespace();
                kinds.put(key, want.getClass());
                wanted.computeIfAbsent(key, k -> new java.util.TreeSet<>())
                        .add(want.getMetadata().getName());
            }
        }
        if (wanted.isEmpty()) {
            throw new IllegalStateException("no fleets");
        }
        Map<String, HasMetadata> have = new HashMap<>();
        for (var e : wanted.entrySet()) {
            String ns = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            cluster.client()
                    .resources(kinds.get(e.getKey()))
                    .inNamespace(ns)
                    .list()
                    .getItems()
                    .forEach(o -> have.put(key(o), o));
            for (String name : e.getValue()) {
                if (!have.containsKey(e.getKey() + " " + name)) {
                    throw new IllegalStateException(e.getKey() + "/" + name + " missing though its fleet is Ready");
                }
            }
        }
        return have;
    }

    private static String key(HasMetadata o) {
        return o.getKind() + " " + o.getMetadata().getNamespace() + " "
                + o.getMetadata().getName();
    }

    /** Every RunnerFleet in {@code namespaces}, as the API server lists them now. */
    public static List<RunnerFleet> fleets(TestCluster cluster, List<String> namespaces) {
        List<RunnerFleet> all = new ArrayList<>();
        for (String ns : namespaces) {
            all.addAll(cluster.client()
                    .resources(RunnerFleet.class)
                    .inNamespace(ns)
                    .list()
                    .getItems());
        }
        return all;
    }

    /**
     * The resync's baseline: seconds to build every fleet's objects and match each with the object as the API
     * server has it, in this thread, the fleets read beforehand. Each must match, or a resync would write.
     */
    private static double buildAndMatch(TestCluster cluster, List<String> namespaces, Map<String, HasMetadata> actual) {
        List<RunnerFleet> fleets = fleets(cluster, namespaces);
        long start = System.nanoTime();
        for (RunnerFleet fleet : fleets) {
            for (HasMetadata want : FleetObjects.of(
                            fleet, OperatorConfig.defaults().defaultsForFleets())
                    .all()) {
                if (!DesiredStateMatcher.matches(want, actual.get(key(want)))) {
                    throw new IllegalStateException(key(want) + " does not match what its fleet wants");
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Waits for the next periodic resync and counts the writes, Events and reads while it passes over every fleet:
     * from a quiet moment (no reconciliation started for a second) until the operator has started a reconciliation
     * for every fleet once more, plus a second for the last ones to finish.
     */
    private static Run resync(
            TestCluster cluster, RunnerFleetOperator operator, Run before, int fleets, Duration resyncInterval)
            throws InterruptedException {
        awaitIdle(operator, Duration.ofSeconds(1), Duration.ofMinutes(2));
        int writesBefore = cluster.writes().size();
        int readsBefore = reads(cluster).size();
        long started = reconciliations(operator);
        System.err.printf("bench: waiting for a resync after %d reconciliations%n", started);
        long firstNew = awaitReconciliations(operator, started, fleets, resyncInterval.multipliedBy(3));
        double passSeconds = (System.nanoTime() - firstNew) / 1e9;
        Thread.sleep(1_000);
        List<String> writes = since(cluster.writes(), writesBefore);
        List<String> reads = since(reads(cluster), readsBefore);
        int events = (int) writes.stream().filter(w -> w.contains("/events")).count();
        System.err.printf(
                "bench: resync pass over %d fleets in %.1f s, %d writes (%d Events), %d reads%n",
                fleets, passSeconds, writes.size(), events, reads.size());
        List<String> sampleWrites = new ArrayList<>(before.sampleWrites());
        sampleWrites.addAll(summary(writes));
        return new Run(
                before.createSeconds(),
                before.readySeconds(),
                before.restartPassSeconds(),
                before.restartWrites(),
                passSeconds,
                reconciliations(operator) - started,
                writes.size(),
                events,
                cluster instanceof RealApiTestCluster ? reads.size() : -1,
                before.buildMatchSeconds(),
                sampleWrites,
                summary(reads));
    }

    /** Until {@code count} reconciliations more than {@code from} have started; returns when the first did. */
    private static long awaitReconciliations(RunnerFleetOperator operator, long from, int count, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        long firstNew = 0;
        while (reconciliations(operator) - from < count) {
            if (firstNew == 0 && reconciliations(operator) > from) {
                firstNew = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no reconciliation of every fleet within " + atMost + ": "
                        + (reconciliations(operator) - from) + " reconciliations");
            }
            Thread.sleep(20);
        }
        return firstNew == 0 ? System.nanoTime() : firstNew;
    }

    private static List<String> reads(TestCluster cluster) {
        return cluster instanceof RealApiTestCluster real ? real.reads() : List.of();
    }

    private static List<String> since(List<String> requests, int from) {
        return List.copyOf(requests.subList(from, requests.size()));
    }

    /** Requests grouped by path with namespaces and names starred, e.g. "PUT /apis/.../namespaces/x/y/z x12". */
    private static List<String> summary(List<String> requests) {
        Map<String, Integer> byKind = new TreeMap<>();
        requests.forEach(w -> byKind.merge(
                w.replaceAll("/namespaces/[^/]+/", "/namespaces/*/").replaceAll("/[^/?]+(\\?.*)?$", "/*"),
                1,
                Integer::sum));
        return byKind.entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue())
                .toList();
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
