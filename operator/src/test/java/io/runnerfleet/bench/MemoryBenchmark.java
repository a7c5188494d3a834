package io.runnerfleet.bench;

import io.runnerfleet.config.ConfigTomlWriter;
import io.runnerfleet.desired.ManagerJvmOptions;
import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resident memory of the manager command in its own JVM ({@code java -cp ... io.runnerfleet.cli.Main manager},
 * KUBECONFIG pointing at the mock API server), with the heap sized as in a pod with the default 512Mi limit and the
 * image's {@code -XX:MaxRAMPercentage=75} ({@code -XX:MaxRAM=512m}, so -Xmx is 384 MiB). Read from
 * {@code /proc/PID/status}: VmHWM (the most resident memory the process ever had) and VmRSS (now). A manager with
 * {@code concurrent = N}, running N jobs at once that are held mid-build, each with its log being followed and its
 * trace uploaded; measured while all N run. The operator's memory is {@link OperatorMemoryBenchmark}'s.
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
    public record Resident(long hwm, long rss) {}

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        Path dir = Files.createTempDirectory("runner-fleet-bench");
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
        List<List<String>> compared = comparedFlagSets();
        for (int i = 0; i < compared.size(); i++) {
            ManagerRun other = manager(size.memoryJobs(), dir, Duration.ofSeconds(3), compared.get(i));
            String name = "manager_memory_compare_" + (i + 1);
            System.err.println("memory: " + name + " flags: " + String.join(" ", compared.get(i)));
            out.add(name + "_vmhwm", other.resident().hwm() / 1048576.0, "MiB");
            out.add(name + "_vmrss", other.resident().rss() / 1048576.0, "MiB");
            out.add(
                    "manager_memory_vmhwm_ratio_to_compare_" + (i + 1),
                    ratio(after.resident().hwm(), other.resident().hwm()),
                    "x");
            out.add("manager_cold_start_compare_" + (i + 1), other.startSeconds(), "s");
        }
    }

    /**
     * The manager Deployment's JVM options ({@link ManagerJvmOptions}, what {@code JAVA_TOOL_OPTIONS} carries in its
     * pods), in the same 512 MiB container.
     */
    public static final List<String> MANAGER_JVM_FLAGS = managerFlags();

    private static List<String> managerFlags() {
        List<String> flags = new ArrayList<>(List.of("-XX:MaxRAM=512m", "-Dkubernetes.http2.disable=true"));
        flags.addAll(List.of(ManagerJvmOptions.JAVA_TOOL_OPTIONS.split(" ")));
        flags.addAll(words(System.getProperty(EXTRA_FLAGS_PROPERTY, "")));
        return List.copyOf(flags);
    }

    /**
     * For measuring candidate flags, not for results: {@code -Dbench.managerJvmExtra="flag flag..."} appends flags to
     * {@link #MANAGER_JVM_FLAGS} (so to the soak's managers too). HotSpot takes the last of a repeated {@code -XX}
     * flag, so this also overrides a shipped one.
     */
    static final String EXTRA_FLAGS_PROPERTY = "bench.managerJvmExtra";

    /**
     * {@code -Dbench.managerJvmCompare="flag flag... | flag flag..."}: complete flag sets measured after the shipped
     * one in the same run, each printed as {@code manager_memory_compare_N_*} beside it (e.g. the options before a
     * change, to show its effect at the same load).
     */
    static final String COMPARE_FLAGS_PROPERTY = "bench.managerJvmCompare";

    static List<List<String>> comparedFlagSets() {
        List<List<String>> sets = new ArrayList<>();
        for (String set : System.getProperty(COMPARE_FLAGS_PROPERTY, "").split("\\|")) {
            if (!set.isBlank()) {
                sets.add(words(set));
            }
        }
        return sets;
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static double ratio(long a, long b) {
        return (double) a / b;
    }

    /** The manager's resident memory while its jobs ran, and seconds from its JVM's start to its first job request. */
    record ManagerRun(Resident resident, double startSeconds) {}

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

    /** The runner-fleet CLI in its own JVM ({@code jvmFlags}, this JVM's class path), its output in {@code log}. */
    public static Process start(
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

    /** SIGTERM, and SIGKILL when it is still there 15 s later. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A kubeconfig for the mock API server at {@code server}, in {@code namespace}. */
    public static Path kubeconfig(Path dir, String server, String namespace) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig-" + namespace), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
                current-context: mock
                """.formatted(server, namespace));
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
    public static Resident resident(long pid) throws IOException {
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

    /**
     * The heap a child JVM keeps alive: {@code jcmd PID GC.run} (a full collection), then the "used" of each heap
     * generation in {@code jcmd PID GC.heap_info} (Serial, Parallel and G1 print "total NK, used NK" per generation
     * or heap; Metaspace prints no "total", so it is not counted). Two JVMs started per reading: sample sparingly.
     */
    public static long liveHeapBytes(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long used = 0;
        boolean found = false;
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        while (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("jcmd " + pid + " GC.heap_info printed no \"total NK, used NK\"");
        }
        return used;
    }

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    /** The last 30 lines of a child's log, for an error message. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
