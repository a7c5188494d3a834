package io.runnerfleet.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator command in a JVM of its own ({@code java -cp ... io.runnerfleet.cli.Main operator}) with the JVM flags
 * that ship ({@link ShippedJvm}: the image's, the chart's and its memory limit), watching every namespace (the chart's
 * default), against the real kube-apiserver holding N converged fleets (handed over by the convergence benchmark, or
 * converged here). Figures, each beside a
 * baseline of the same run:
 *
 * <ul>
 *   <li>cold start: from starting the JVM to the operator's metrics showing its first reconciliation (polled every
 *       20 ms, so an upper bound); baseline: the same JVM running {@code --version} to its exit (the floor set by
 *       the JVM and the CLI).</li>
 *   <li>resident memory with N fleets: {@code VmHWM} (the most the process ever had) and {@code VmRSS}, read once
 *       its first pass over every fleet is done and 2 s passed without a reconciliation; baseline: the same command
 *       watching one namespace with no fleet, read 2 s after its metrics answer.</li>
 *   <li>the writes and Events of that first pass over unchanged fleets (a restart or a new leader; goal 0): objects
 *       in the fleets' namespaces whose resourceVersion moved, and new Events.</li>
 * </ul>
 *
 * To compare other flags with the shipped ones against the same fleets (how the shipped ones were chosen), pass
 * them as {@code -Dbench.operatorJvm="flag flag... | flag flag..."}: each set is measured after the shipped one and
 * printed on stderr; the figures are the shipped flags'.
 */
public final class OperatorMemoryBenchmark implements Benchmark {
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(
            RunnerFleet.class,
            ConfigMap.class,
            ServiceAccount.class,
            Role.class,
            RoleBinding.class,
            Deployment.class,
            io.fabric8.kubernetes.api.model.Service.class,
            PodDisruptionBudget.class,
            Event.class);

    /** No {@code --watch-namespaces}: every namespace, as the chart's default {@code watchNamespaces: []}. */
    static final List<String> ALL_NAMESPACES = List.of();

    @Override
    public String name() {
        return "operator";
    }

    /** One operator process's figures; {@code resident} in bytes. */
    record Run(
            double coldStartSeconds,
            double passSeconds,
            MemoryBenchmark.Resident resident,
            int writes,
            int events,
            List<String> sampleWrites) {}

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        Path dir = Files.createTempDirectory("runner-fleet-bench");
        List<String> flags = flags();
        System.err.println("bench: operator JVM flags " + String.join(" ", flags));
        double versionSeconds = versionSeconds(flags, dir);
        Run baseline;
        Run run;
        try (ConvergedFleets converged = converged(size.memoryFleets(), size.namespaces())) {
            String empty = converged.cluster.createNamespace("bench-empty");
            baseline = operator(converged, List.of(empty), 0, flags, dir);
            run = operator(converged, ALL_NAMESPACES, size.memoryFleets(), flags, dir);
            for (List<String> other : alternatives()) {
                Run alternative = operator(converged, ALL_NAMESPACES, size.memoryFleets(), other, dir);
                System.err.printf(
                        "bench: operator alternative %s: cold start %.2f s, pass %.1f s, VmHWM %d MiB, VmRSS %d MiB%n",
                        String.join(" ", other),
                        alternative.coldStartSeconds(),
                        alternative.passSeconds(),
                        alternative.resident().hwm() >> 20,
                        alternative.resident().rss() >> 20);
            }
        }
        if (run.writes() > 0) {
            System.err.println("bench: the operator's first pass wrote, e.g. " + run.sampleWrites());
        }
        double mib = 1048576.0;
        out.add("operator_fleets", size.memoryFleets(), "fleets");
        out.add("operator_cold_start", run.coldStartSeconds(), "s");
        out.add("operator_cold_start_baseline_version", versionSeconds, "s");
        out.add("operator_cold_start_ratio_to_version", run.coldStartSeconds() / versionSeconds, "x");
        out.add("operator_first_pass", run.passSeconds(), "s");
        out.add("operator_memory_vmhwm", run.resident().hwm() / mib, "MiB");
        out.add("operator_memory_vmrss", run.resident().rss() / mib, "MiB");
        out.add("operator_memory_baseline_no_fleet_vmhwm", baseline.resident().hwm() / mib, "MiB");
        out.add(
                "operator_memory_vmhwm_ratio_to_no_fleet",
                (double) run.resident().hwm() / baseline.resident().hwm(),
                "x");
        out.add("operator_restart_writes", run.writes(), "writes");
        out.add("operator_restart_events", run.events(), "events");
    }

    static List<String> flags() throws IOException {
        return ShippedJvm.operatorFlags();
    }

    /** The flag sets of {@code -Dbench.operatorJvm}, separated by "|". */
    static List<List<String>> alternatives() {
        String sets = System.getProperty("bench.operatorJvm", "");
        List<List<String>> alternatives = new ArrayList<>();
        for (String set : sets.split("\\|")) {
            if (!set.isBlank()) {
                alternatives.add(List.of(set.trim().split("\\s+")));
            }
        }
        return alternatives;
    }

    /** The fleets the convergence benchmark left, else N fleets converged here by an in-process operator. */
    static ConvergedFleets converged(int fleets, int namespaceCount) throws Exception {
        ConvergedFleets converged = ConvergedFleets.take(fleets, namespaceCount);
        if (converged != null) {
            return converged;
        }
        converged = ConvergedFleets.onRealApiServer(namespaceCount);
        try (RunnerFleetOperator inProcess = RunnerFleetOperator.start(
                converged.cluster.client(),
                FleetConvergenceBenchmark.operatorConfig(converged.namespaces, OperatorConfig.DEFAULT_RESYNC))) {
            FleetConvergenceBenchmark.createAll(converged.cluster, converged.namespaces, fleets);
            FleetConvergenceBenchmark.awaitReady(
                    converged.cluster, converged.namespaces, fleets, Duration.ofMinutes(10));
        }
        converged.fleets = fleets;
        return converged;
    }

    /** Seconds from starting {@code java <flags> ... Main --version} to its exit. */
    static double versionSeconds(List<String> flags, Path dir) throws Exception {
        long start = System.nanoTime();
        Process process = start(flags, dir.resolve("version.log"), dir.resolve("none"), "--version");
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("--version failed: " + tail(dir.resolve("version.log")));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The operator watching {@code watch} ({@link #ALL_NAMESPACES} or some), which hold {@code fleets} fleets. */
    static Run operator(ConvergedFleets converged, List<String> watch, int fleets, List<String> flags, Path dir)
            throws Exception {
        List<String> namespaces = watch.isEmpty() ? converged.namespaces : watch;
        Map<String, String> before = versions(converged.cluster, namespaces);
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), converged.kubeconfig);
        Path log = dir.resolve("operator-" + fleets + ".log");
        int port = freePort();
        long start = System.nanoTime();
        List<String> args =
                new ArrayList<>(List.of("operator", "--health-port", Integer.toString(port), "--log-level", "WARN"));
        if (!watch.isEmpty()) {
            args.addAll(List.of("--watch-namespaces", String.join(",", watch)));
        }
        Process process = start(flags, log, kubeconfig, args.toArray(String[]::new));
        try {
            Metrics metrics = new Metrics(process, port, log);
            double coldStart = fleets == 0 ? 0 : (metrics.awaitReconciliations(1) - start) / 1e9;
            double pass = (metrics.awaitQuiet(fleets, Duration.ofSeconds(2)) - start) / 1e9;
            MemoryBenchmark.Resident resident = MemoryBenchmark.resident(process.pid());
            List<String> writes = changed(before, versions(converged.cluster, namespaces));
            int events =
                    (int) writes.stream().filter(w -> w.startsWith("Event ")).count();
            System.err.printf(
                    "bench: operator with %d fleets: first reconciliation %.2f s, pass %.1f s, VmHWM %d MiB, %d writes%n",
                    fleets, coldStart, pass, resident.hwm() >> 20, writes.size());
            return new Run(
                    coldStart, pass, resident, writes.size(), events, writes.subList(0, Math.min(5, writes.size())));
        } finally {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** "Kind namespace/name" to resourceVersion of every object of the fleets' kinds in these namespaces. */
    private static Map<String, String> versions(TestCluster cluster, List<String> namespaces) {
        Map<String, String> versions = new HashMap<>();
        for (String ns : namespaces) {
            for (Class<? extends HasMetadata> kind : KINDS) {
                for (HasMetadata o :
                        cluster.client().resources(kind).inNamespace(ns).list().getItems()) {
                    versions.put(
                            kind.getSimpleName() + " " + ns + "/"
                                    + o.getMetadata().getName(),
                            o.getMetadata().getResourceVersion());
                }
            }
        }
        return versions;
    }

    private static List<String> changed(Map<String, String> before, Map<String, String> after) {
        List<String> changed = new ArrayList<>();
        after.forEach((key, version) -> {
            if (!version.equals(before.get(key))) {
                changed.add(key);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changed.add(k + " (deleted)"));
        return changed;
    }

    private static Process start(List<String> flags, Path log, Path kubeconfig, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.runnerfleet.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("LOG_LEVEL", "WARN");
        // The flags above are the image's and the chart's; none of this JVM's own.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    /** The operator's own /metrics, polled. */
    private static final class Metrics {
        private final HttpClient http = HttpClient.newHttpClient();
        private final Process process;
        private final URI uri;
        private final Path log;
        private final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();

        Metrics(Process process, int port, Path log) {
            this.process = process;
            this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
            this.log = log;
        }

        /** Reconciliations started, or -1 while the metrics do not answer. */
        long read() throws InterruptedException {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator stopped or took too long; its log: " + tail(log));
            }
            try {
                return MemoryBenchmark.reconciliations(http.send(
                                HttpRequest.newBuilder(uri)
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
            } catch (IOException e) {
                return -1;
            }
        }

        /** The nanoTime at which at least {@code count} reconciliations had started. */
        long awaitReconciliations(long count) throws InterruptedException {
            while (read() < count) {
                Thread.sleep(20);
            }
            return System.nanoTime();
        }

        /** The nanoTime of the last change once {@code count} have started and none started for {@code quiet}. */
        long awaitQuiet(long count, Duration quiet) throws InterruptedException {
            long last = -2;
            long lastChange = System.nanoTime();
            while (true) {
                long now = read();
                if (now != last) {
                    last = now;
                    lastChange = System.nanoTime();
                }
                if (last >= count && System.nanoTime() - lastChange > quiet.toNanos()) {
                    return lastChange;
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
