package io.runnerfleet.bench;

/**
 * How big each benchmark runs. {@link #full()} is what {@code bench/run} uses (the sizes the issue asks for);
 * {@link #tiny()} keeps the benchmarks' logic exercised in a unit test.
 *
 * @param pickupWarmup          jobs picked up before sampling starts, per polling mode
 * @param pickupSamples         jobs sampled with long polling
 * @param pickupIntervalSamples jobs sampled with long polling off and {@code check_interval = 3}
 * @param pickupMeanGapMillis   mean gap between job arrivals (exponential, so arrivals fall at random poll phases)
 * @param pickupCheckInterval   {@code check_interval} in seconds of the run without long polling (gitlab-runner: 3)
 * @param dispatchJobs          quick jobs queued for one manager with {@code concurrent = dispatchConcurrent}
 * @param dispatchRuns          measured runs of the dispatch benchmark (after one warm-up of dispatchJobs / 10)
 * @param fleets                RunnerFleets created at once
 * @param namespaces            namespaces they are spread over
 * @param convergenceRuns       measured runs of the convergence benchmark
 * @param resyncSeconds         the operator's resync interval in the convergence benchmark
 * @param logMegabytes          MB (10^6 bytes) of container output of the log job
 * @param logRuns               measured runs of the log benchmark (after one warm-up of a tenth)
 * @param memoryFleets          fleets the operator process holds
 * @param memoryJobs            jobs the manager process runs at once
 * @param clusterJobs           jobs run one after the other on the real test cluster
 */
public record BenchSize(
        int pickupWarmup,
        int pickupSamples,
        int pickupIntervalSamples,
        long pickupMeanGapMillis,
        int pickupCheckInterval,
        int dispatchJobs,
        int dispatchConcurrent,
        int dispatchRuns,
        int fleets,
        int namespaces,
        int convergenceRuns,
        int resyncSeconds,
        int logMegabytes,
        int logRuns,
        int memoryFleets,
        int memoryJobs,
        int clusterJobs) {

    public static BenchSize full() {
        return new BenchSize(10, 200, 60, 150, 3, 2000, 200, 2, 1000, 10, 1, 60, 200, 3, 1000, 30, 10);
    }

    /**
     * This size with the fleet counts of benchmarks 3 and 3b set by {@code -Dbench.fleets=N} (both) and
     * {@code -Dbench.namespaces=N}: a mid size reproduces a problem of the full one in a fraction of its time.
     */
    public BenchSize withFleetOverrides() {
        int fleetCount = Integer.getInteger("bench.fleets", fleets);
        int memoryFleetCount = Integer.getInteger("bench.fleets", memoryFleets);
        int namespaceCount = Integer.getInteger("bench.namespaces", namespaces);
        return new BenchSize(
                pickupWarmup,
                pickupSamples,
                pickupIntervalSamples,
                pickupMeanGapMillis,
                pickupCheckInterval,
                dispatchJobs,
                dispatchConcurrent,
                dispatchRuns,
                fleetCount,
                namespaceCount,
                convergenceRuns,
                resyncSeconds,
                logMegabytes,
                logRuns,
                memoryFleetCount,
                memoryJobs,
                clusterJobs);
    }

    public static BenchSize tiny() {
        return new BenchSize(1, 4, 2, 50, 1, 5, 5, 1, 3, 1, 1, 2, 2, 1, 3, 2, 1);
    }
}
