package io.runnerfleet.bench;

import io.runnerfleet.config.ConfigTomlWriter;
import io.runnerfleet.desired.ManagerJvmOptions;
import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.MockTestCluster;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Resident memory of the real commands in their own JVMs ({@code java -cp ... io.runnerfleet.cli.Main operator|
 * manager}, KUBECONFIG pointing at the mock API server), with the heap sized as in a pod with the default 512Mi limit
 * and the image's {@code -XX:MaxRAMPercentage=75} ({@code -XX:MaxRAM=512m}, so -Xmx is 384 MiB). Read from
 * {@code /proc/PID/status}: VmHWM (the most resident memory the process ever had) and VmRSS (now).
 *
 * <ul>
 *   <li>The operator, started against a mock that already holds N converged fleets (an in-process operator created
 *       them): measured once its own first pass over every fleet is done and it is idle. The API writes of that pass
 *       (a restart of the operator over unchanged fleets; goal 0) are counted too.</li>
 *   <li>A manager with {@code concurrent = N}, running N jobs at once that are held mid-build, each with its log
 *       being followed and its trace uploaded; measured while all N run.</li>
 * </ul>
 */
public final class MemoryBenchmark implements Benchmark {
    /**
     * The pod's heap sizing; and HTTP/1.1 to the mock: over plain http the JDK client upgrades to HTTP/2 (h2c) and
     * then rejects the mock's large list responses ("Frame ... exceeds MAX_FRAME_SIZE"), which a real API server over
     * TLS (h2 by ALPN) never sends.
     */
    static final List<String> JVM_FLAGS = List.of(
            "-XX:MaxRAM=512m",
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dkubernetes.http2.disable=true");

    @Override
    public String name() {
        return "memory";
    }

    /** VmHWM and VmRSS in bytes. */
    record Resident(long hwm, long rss) {}

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        Path dir = Files.createTempDirectory("runner-fleet-bench");
        OperatorRun operator = operator(size.memoryFleets(), size.namespaces(), dir);
        out.add("operator_memory_vmhwm", operator.resident().hwm() / 1048576.0, "MiB");
        out.add("operator_memory_vmrss", operator.resident().rss() / 1048576.0, "MiB");
        out.add("operator_memory_fleets", size.memoryFleets(), "fleets");
        out.add("operator_restart_writes", operator.writes(), "writes");
        // The baseline is the image's own JVM options (what a manager ran with before its Deployment set its own).
        ManagerRun before = manager(size.memoryJobs(), dir, Duration.ofSeconds(3), JVM_FLAGS);
        ManagerRun after = manager(size.memoryJobs(), dir, Duration.ofSeconds(3), MANAGER_JVM_FLAGS);
        out.add("manager_memory_vmhwm", after.resident().hwm() / 1048576.0, "MiB");
        out.add("manager_memory_vmrss", after.resident().rss() / 1048576.0, "MiB");
        out.add("manager_memory_image_flags_vmhwm", before.resident().hwm() / 1048576.0, "MiB");
        out.add(
                "manager_memory_vmhwm_ratio_to_image_flags",
                ratio(after.resident().hwm(), before.resident().hwm()),
                "x");
        out.add("manager_memory_jobs", size.memoryJobs(), "jobs");
        out.add("manager_cold_start", after.startSeconds(), "s");
        out.add("manager_cold_start_image_flags", before.startSeconds(), "s");
        out.add("manager_cold_start_ratio_to_image_flags", after.startSeconds() / before.startSeconds(), "x");
    }

    /**
     * The manager Deployment's JVM options ({@link ManagerJvmOptions}, what {@code JAVA_TOOL_OPTIONS} carries in its
     * pods), in the same 512 MiB container.
     */
    static final List<String> MANAGER_JVM_FLAGS = managerFlags();

    private static List<String> managerFlags() {
        List<String> flags = new ArrayList<>(List.of("-XX:MaxRAM=512m", "-Dkubernetes.http2.disable=true"));
        flags.addAll(List.of(ManagerJvmOptions.JAVA_TOOL_OPTIONS.split(" ")));
        return List.copyOf(flags);
    }

    private static double ratio(long a, long b) {
        return (double) a / b;
    }

    /** The manager's resident memory while its jobs ran, and seconds from its JVM's start to its first job request. */
    record ManagerRun(Resident resident, double startSeconds) {}

    record OperatorRun(Resident resident, int writes, List<String> sampleWrites) {}

    static OperatorRun operator(int fleets, int namespaceCount, Path dir) throws Exception {
        ConvergedFleets converged = ConvergedFleets.take(fleets, namespaceCount);
        if (converged == null) {
            converged = new ConvergedFleets(namespaceCount);
            try (RunnerFleetOperator inProcess = RunnerFleetOperator.start(
                    converged.cluster.client(),
                    FleetConvergenceBenchmark.operatorConfig(converged.namespaces, OperatorConfig.DEFAULT_RESYNC))) {
                FleetConvergenceBenchmark.createAll(converged.cluster, converged.namespaces, fleets);
                FleetConvergenceBenchmark.awaitReady(
                        converged.cluster, converged.namespaces, fleets, Duration.ofMinutes(10));
            }
        }
        try (ConvergedFleets closing = converged) {
            MockTestCluster cluster = converged.cluster;
            List<String> namespaces = converged.namespaces;
            Thread.sleep(500);
            int writesBefore = cluster.writes().size();
            int port = freePort();
            Path kubeconfig = kubeconfig(dir, cluster.client().getMasterUrl().toString(), namespaces.get(0));
            Process process = start(
                    dir.resolve("operator.log"),
                    kubeconfig,
                    JVM_FLAGS,
                    Map.of(),
                    "operator",
                    "--watch-namespaces",
                    String.join(",", namespaces),
                    "--health-port",
                    Integer.toString(port),
                    "--log-level",
                    "WARN");
            try {
                awaitReconciled(process, port, fleets, dir.resolve("operator.log"));
                Resident resident = resident(process.pid());
                List<String> writes = cluster.writes();
                List<String> during = writes.subList(writesBefore, writes.size());
                if (!during.isEmpty()) {
                    System.err.println(
                            "bench: operator restart wrote, e.g. " + during.subList(0, Math.min(5, during.size())));
                }
                return new OperatorRun(
                        resident, during.size(), List.copyOf(during.subList(0, Math.min(5, during.size()))));
            } finally {
                stop(process);
            }
        }
    }

    /** Reads the manager's memory {@code settle} after all its jobs run (trace updates and pod polls go on). */
    static ManagerRun manager(int jobs, Path dir, Duration settle, List<String> jvmFlags) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (BenchStand stand = new BenchStand(Duration.ofSeconds(50))) {
            stand.holdJobs(release);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(stand.gitlab().enqueue(TestJob.builder().build()));
            }
            Path config =
                    Files.writeString(dir.resolve("config.toml"), ConfigTomlWriter.write(stand.config(jobs, 3, 4096)));
            Path token = Files.writeString(dir.resolve("token"), TestGitLab.RUNNER_TOKEN);
            Path kubeconfig = kubeconfig(dir, stand.client().getMasterUrl().toString(), BenchStand.NAMESPACE);
            Path log = dir.resolve("manager.log");
            long launched = System.nanoTime();
            Process process = start(
                    log,
                    kubeconfig,
                    jvmFlags,
                    Map.of("POD_NAME", "shop-manager-mem", "POD_NAMESPACE", BenchStand.NAMESPACE),
                    "manager",
                    "--config",
                    config.toString(),
                    "--token-file",
                    token.toString(),
                    "--listen-address",
                    "127.0.0.1:0");
            try {
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                // The jobs wait in the queue, so the first job request is answered at once: its end is its start.
                while (stand.gitlab().requests("request_job").isEmpty()) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the manager never asked for a job; its log: " + tail(log));
                    }
                    Thread.sleep(5);
                }
                double startSeconds = (System.nanoTime() - launched) / 1e9;
                while (!ids.stream().allMatch(id -> stand.gitlab().traceText(id).contains("ok  shop/cart"))) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the manager did not get all " + jobs + " jobs running; its log: " + tail(log));
                    }
                    Thread.sleep(200);
                }
                Thread.sleep(settle.toMillis());
                Resident resident = resident(process.pid());
                release.countDown();
                deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (ids.stream().anyMatch(stand::unfinished) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                for (long id : ids) {
                    if (stand.gitlab().state(id) != TestGitLab.State.SUCCESS) {
                        throw new IllegalStateException(
                                "job " + id + " ended " + stand.gitlab().state(id) + "; manager log: " + tail(log));
                    }
                }
                return new ManagerRun(resident, startSeconds);
            } finally {
                stop(process);
            }
        }
    }

    private static Process start(
            Path log, Path kubeconfig, List<String> jvmFlags, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.runnerfleet.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("LOG_LEVEL", "WARN");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("RUNNER_TOKEN");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Path kubeconfig(Path dir, String server, String namespace) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig-" + namespace), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
                current-context: mock
                """.formatted(server, namespace));
    }

    /** Until the operator's own metrics show a reconciliation of every fleet and then 2 s without a new one. */
    private static void awaitReconciled(Process process, int port, int fleets, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator did not reconcile " + fleets + " fleets (last count "
                        + last + "); its log: " + tail(log));
            }
            long now = -1;
            try {
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                now = reconciliations(metrics);
            } catch (IOException e) {
                // not listening yet
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
            if (last >= fleets
                    && System.nanoTime() - lastChange > Duration.ofSeconds(2).toNanos()) {
                return;
            }
            Thread.sleep(250);
        }
    }

    /** The sum of {@code operator_sdk_reconciliations_started_total} over its series in a Prometheus scrape. */
    static long reconciliations(String metrics) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("operator_sdk_reconciliations_started_total")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    /** VmHWM and VmRSS of a process, from /proc/PID/status. */
    static Resident resident(long pid) throws IOException {
        long hwm = -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = kib(line);
            } else if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            }
        }
        if (hwm < 0 || rss < 0) {
            throw new IllegalStateException("no VmHWM/VmRSS for pid " + pid);
        }
        return new Resident(hwm, rss);
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
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
