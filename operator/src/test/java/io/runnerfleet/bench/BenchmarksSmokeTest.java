package io.runnerfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.External;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each benchmark's logic at a tiny size so that it keeps working; asserts what must hold at any size (nothing
 * lost or run twice, masking applied, no write, Event or read in a resync, figures printed as
 * {@code name=value unit}), never how fast anything is. The real-API-server and second-JVM ones are tagged external
 * (failsafe).
 */
class BenchmarksSmokeTest {
    private static final BenchSize TINY = BenchSize.tiny();

    @TempDir
    Path dir;

    @Test
    void pickupMeasuresEveryJobWithAndWithoutLongPolling() throws Exception {
        PickupLatencyBenchmark.Sample longPoll = PickupLatencyBenchmark.measure(Duration.ofSeconds(5), 1, 2, 1, 3, 20);
        PickupLatencyBenchmark.Sample interval = PickupLatencyBenchmark.measure(Duration.ZERO, 1, 1, 0, 1, 10);
        // Every job measured, and measured as a time after its enqueue; how long is the benchmark's figure, not a
        // pass mark (at load 67 on 2 cores a pickup took 10 s).
        assertThat(longPoll.latencies()).hasSize(3).allMatch(s -> s > 0);
        assertThat(longPoll.arrivalsPerSecond()).isPositive();
        assertThat(interval.latencies()).hasSize(1).allMatch(s -> s > 0);
    }

    @Test
    void dispatchRunsEveryJobOnce() throws Exception {
        DispatchRateBenchmark.Run run = DispatchRateBenchmark.run(TINY.dispatchJobs(), TINY.dispatchConcurrent());
        assertThat(run.lost()).isZero();
        assertThat(run.ranTwice()).isZero();
        assertThat(run.podsPerSecond()).isPositive();
    }

    @Test
    void convergenceReachesReadyAndCountsResyncWritesOnTheMock() throws Exception {
        // Two namespaces: JOSDK runs an informer per watched namespace, and they must not drop each other's objects.
        FleetConvergenceBenchmark.Run run = FleetConvergenceBenchmark.run(
                ConvergedFleets::onMock, TINY.fleets(), 2, Duration.ofSeconds(TINY.resyncSeconds()), false);
        assertThat(run.readySeconds()).isPositive();
        assertThat(run.resyncReconciliations()).isGreaterThanOrEqualTo(TINY.fleets());
        assertThat(run.restartWrites() + run.resyncWrites())
                .as("writes after convergence: %s", run.sampleWrites())
                .isZero();
    }

    /** What bench/run measures: on the real API server a resync also reads nothing the caches hold. */
    @Test
    @External.ApiServer
    void convergenceOnTheRealApiServerResyncsWithoutWritesEventsOrReads() throws Exception {
        FleetConvergenceBenchmark.Run run = FleetConvergenceBenchmark.run(
                ConvergedFleets::onRealApiServer, TINY.fleets(), 2, Duration.ofSeconds(TINY.resyncSeconds()), false);
        assertThat(run.readySeconds()).isGreaterThan(run.createSeconds());
        assertThat(run.resyncReconciliations()).isGreaterThanOrEqualTo(TINY.fleets());
        assertThat(run.restartWrites() + run.resyncWrites())
                .as("writes after convergence: %s", run.sampleWrites())
                .isZero();
        assertThat(run.resyncEvents()).isZero();
        assertThat(run.resyncReads())
                .as("reads during a resync: %s", run.sampleReads())
                .isZero();
    }

    /** The operator command with the shipped JVM flags on the real API server: it starts, reconciles, writes nothing. */
    @Test
    @External.ApiServer
    @External.Jvm
    void operatorProcessReconcilesConvergedFleetsWithoutWriting() throws Exception {
        List<String> flags = ShippedJvm.operatorFlags();
        assertThat(flags).anyMatch(f -> f.startsWith("-XX:MaxRAM=")).contains("-XX:+UseSerialGC");
        try (ConvergedFleets converged = OperatorMemoryBenchmark.converged(TINY.memoryFleets(), TINY.namespaces())) {
            // Its own namespaces only: other test classes' fleets live on the same server.
            OperatorMemoryBenchmark.Run run =
                    OperatorMemoryBenchmark.operator(converged, converged.namespaces, TINY.memoryFleets(), flags, dir);
            assertThat(run.coldStartSeconds()).isPositive();
            assertThat(run.resident().hwm())
                    .isGreaterThanOrEqualTo(run.resident().rss());
            assertThat(run.writes()).as("changed: %s", run.sampleWrites()).isZero();
        }
    }

    @Test
    void logJobForwardsEveryLineMasked() throws Exception {
        // 3 MB: past the 2 MiB after which a real job's build is read from its copy, as the benchmark's 200 MB are.
        LogThroughputBenchmark.Run run = LogThroughputBenchmark.run(3, true);
        String trace = new String(run.trace(), StandardCharsets.UTF_8);
        assertThat(trace)
                .doesNotContain(LogThroughputBenchmark.SECRET)
                .contains("token=[MASKED]")
                .contains("\n29999 ")
                .endsWith("Job succeeded\u001b[0;m\n");
        assertThat(run.copyBytes()).isBetween(1L, run.textBytes() - 2L * 1024 * 1024);
        assertThat(run.traceBytes()).isGreaterThan(run.textBytes() * 9 / 10);
        assertThat(run.megabytesPerSecond()).isPositive();
        LogThroughputBenchmark.Run streamOnly = LogThroughputBenchmark.run(1, false, 1024, false);
        assertThat(streamOnly.copyBytes()).isZero();
        // The same-run baseline reads the whole log (it throws if it got less).
        assertThat(LogThroughputBenchmark.rawCopyMegabytesPerSecond(1)).isPositive();
        assertThat(LogThroughputBenchmark.rawCopyAndUploadMegabytesPerSecond(1)).isPositive();
    }

    @Test
    @External.Jvm
    void managerProcessRunsItsJobsAndReportsResidentMemory() throws Exception {
        MemoryBenchmark.ManagerRun run =
                MemoryBenchmark.manager(TINY.memoryJobs(), dir, Duration.ZERO, MemoryBenchmark.MANAGER_JVM_FLAGS);
        assertThat(run.resident().hwm())
                .isGreaterThanOrEqualTo(run.resident().rss())
                .isGreaterThan(10L << 20);
        assertThat(run.startSeconds()).isPositive();
    }

    @Test
    void figuresPrintAsNameValueUnit() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figures figures = new Figures(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        figures.add("pickup_latency_longpoll_p50", 0.0412, "s");
        figures.add("dispatch_jobs", 2000, "jobs");
        figures.add("log_throughput_median", 123.456, "MB/s");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "pickup_latency_longpoll_p50=0.041 s\ndispatch_jobs=2000 jobs\nlog_throughput_median=123.5 MB/s\n");
        assertThat(Stats.percentile(List.of(1.0, 2.0, 3.0, 4.0), 50)).isEqualTo(2.0);
        assertThat(Stats.percentile(List.of(1.0, 2.0, 3.0, 4.0), 99)).isEqualTo(4.0);
        assertThat(MemoryBenchmark.reconciliations("""
                # TYPE operator_sdk_reconciliations_started_total counter
                operator_sdk_reconciliations_started_total{namespace="a"} 3.0
                operator_sdk_reconciliations_started_total{namespace="b"} 4.0
                """)).isEqualTo(7);
    }
}
