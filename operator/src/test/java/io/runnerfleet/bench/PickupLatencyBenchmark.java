package io.runnerfleet.bench;

import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Job pickup latency: from a job entering the test GitLab's queue to its Job Pod existing in the API (the watch
 * event of its creation), for one manager with production timings. Twice: with long polling (GitLab holds
 * {@code jobs/request} until a job arrives, up to 50 s), and with long polling off and gitlab-runner's default
 * {@code check_interval} of 3 s. Jobs arrive at exponentially distributed gaps, so they fall at random points of
 * the poll cycle; each job then runs as a quick job on the simulated kubelet.
 */
public final class PickupLatencyBenchmark implements Benchmark {
    private static final Duration GITLAB_LONG_POLL = Duration.ofSeconds(50);

    @Override
    public String name() {
        return "pickup";
    }

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        List<Double> longPoll = measure(
                GITLAB_LONG_POLL,
                size.pickupCheckInterval(),
                size.pickupWarmup(),
                size.pickupSamples(),
                size.pickupMeanGapMillis());
        double lp50 = Stats.percentile(longPoll, 50);
        out.add("pickup_latency_longpoll_p50", lp50, "s");
        out.add("pickup_latency_longpoll_p99", Stats.percentile(longPoll, 99), "s");
        out.add("pickup_latency_longpoll_samples", longPoll.size(), "jobs");

        // Slower arrivals without long polling: several per check_interval would mostly measure queueing.
        long gap = Math.max(size.pickupMeanGapMillis(), size.pickupCheckInterval() * 1000L / 5);
        List<Double> interval = measure(
                Duration.ZERO, size.pickupCheckInterval(), size.pickupWarmup(), size.pickupIntervalSamples(), gap);
        double i50 = Stats.percentile(interval, 50);
        out.add("pickup_latency_interval" + size.pickupCheckInterval() + "s_p50", i50, "s");
        out.add("pickup_latency_interval" + size.pickupCheckInterval() + "s_p99", Stats.percentile(interval, 99), "s");
        out.add("pickup_latency_interval" + size.pickupCheckInterval() + "s_samples", interval.size(), "jobs");
        out.add("pickup_latency_p50_ratio_interval_to_longpoll", i50 / lp50, "x");
    }

    /** Latencies in seconds of {@code samples} jobs, after {@code warmup} jobs that are not counted. */
    static List<Double> measure(
            Duration longPoll, int checkIntervalSeconds, int warmup, int samples, long meanGapMillis)
            throws InterruptedException {
        Random random = new Random(42);
        try (BenchStand stand = new BenchStand(longPoll);
                PodCreations pods = new PodCreations(stand.client(), BenchStand.NAMESPACE)) {
            stand.quickJobs();
            stand.startManager(
                    "shop-manager-pickup",
                    stand.config(50, checkIntervalSeconds, 4096),
                    BenchStand.productionOptions());
            // Let the first empty poll and its check_interval pause pass: the steady state is what counts.
            Thread.sleep(checkIntervalSeconds * 1000L + 200);
            Map<Long, Long> enqueued = new LinkedHashMap<>();
            List<Long> sampled = new ArrayList<>();
            for (int i = 0; i < warmup + samples; i++) {
                long gap = (long) (-Math.log(1 - random.nextDouble()) * meanGapMillis);
                Thread.sleep(Math.max(1, gap));
                TestJob job = TestJob.builder().build();
                enqueued.put(job.id(), System.nanoTime());
                stand.gitlab().enqueue(job);
                if (i >= warmup) {
                    sampled.add(job.id());
                }
            }
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(60 + 2L * checkIntervalSeconds).toNanos();
            while (!sampled.stream().allMatch(id -> pods.firstSeen(id) != null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Job Pods never appeared for "
                            + sampled.stream()
                                    .filter(id -> pods.firstSeen(id) == null)
                                    .toList());
                }
                Thread.sleep(20);
            }
            List<Double> latencies = new ArrayList<>();
            for (long id : sampled) {
                latencies.add((pods.firstSeen(id) - enqueued.get(id)) / 1e9);
            }
            return latencies;
        }
    }
}
