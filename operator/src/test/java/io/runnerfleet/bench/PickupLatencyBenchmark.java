package io.runnerfleet.bench;

import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Job pickup latency: from a job entering the test GitLab's queue to its Job Pod existing in the API (the watch
 * event of its creation), for one manager with production timings. Jobs arrive at a steady mean rate with
 * exponentially distributed gaps (so they fall at random points of the poll cycle); each then runs as a quick job on
 * the simulated kubelet.
 *
 * <p>With long polling (GitLab holds {@code jobs/request} until a job arrives, up to 50 s): at 2 jobs/s (the
 * baseline, no queueing possible) and at the goal's 20 jobs/s, with the fleet's default {@code request_concurrency}
 * (1, gitlab-runner's) and with 4; then the arrival rate is doubled from 20 until p50 or p99 leave the goal, so
 * the rate at which pickup stays within it is a printed figure. Last, long polling off and gitlab-runner's default
 * {@code check_interval} of 3 s.
 */
public final class PickupLatencyBenchmark implements Benchmark {
    private static final Duration GITLAB_LONG_POLL = Duration.ofSeconds(50);
    /** The goal for pickup under long polling. */
    static final double GOAL_P50_SECONDS = 0.020;

    static final double GOAL_P99_SECONDS = 0.100;
    /** Slots enough that at these rates the jobs' own lives (about 1 s each) never fill them: pickup is measured. */
    static final int CONCURRENT = 200;
    /** The RunnerFleet default of {@code request_concurrency} (api RunnerSpec), gitlab-runner's too. */
    static final int FLEET_REQUEST_CONCURRENCY = 1;
    /** The top of what gitlab-runner advises against a request bottleneck ({@code checkConfigConcurrency}). */
    static final int WIDER_REQUEST_CONCURRENCY = 4;

    private static final int SWEEP_LIMIT_JOBS_PER_SECOND = 640;

    @Override
    public String name() {
        return "pickup";
    }

    /** How long pickup took for the sampled jobs, and how fast they really arrived. */
    record Sample(List<Double> latencies, double arrivalsPerSecond) {
        double p50() {
            return Stats.percentile(latencies, 50);
        }

        double p99() {
            return Stats.percentile(latencies, 99);
        }

        boolean withinGoal() {
            return p50() <= GOAL_P50_SECONDS && p99() <= GOAL_P99_SECONDS;
        }
    }

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        int warmup = size.pickupWarmup();
        Sample slow = longPoll(FLEET_REQUEST_CONCURRENCY, 2, warmup, size.pickupIntervalSamples());
        out.add("pickup_latency_longpoll_2jobs_s_p50", slow.p50(), "s");
        out.add("pickup_latency_longpoll_2jobs_s_p99", slow.p99(), "s");
        Sample steady = longPoll(FLEET_REQUEST_CONCURRENCY, 20, warmup, size.pickupSamples());
        out.add("pickup_latency_longpoll_20jobs_s_p50", steady.p50(), "s");
        out.add("pickup_latency_longpoll_20jobs_s_p99", steady.p99(), "s");
        out.add("pickup_latency_longpoll_20jobs_s_arrivals", steady.arrivalsPerSecond(), "jobs/s");
        out.add("pickup_latency_longpoll_samples", steady.latencies().size(), "jobs");
        // No queue growth: the figure at 20 jobs/s is the one at 2 jobs/s within 2x.
        out.add("pickup_latency_p50_ratio_20_to_2_jobs_s", steady.p50() / slow.p50(), "x");
        Sample wider = longPoll(WIDER_REQUEST_CONCURRENCY, 20, warmup, size.pickupSamples());
        out.add("pickup_latency_longpoll_20jobs_s_request_concurrency4_p50", wider.p50(), "s");
        out.add("pickup_latency_longpoll_20jobs_s_request_concurrency4_p99", wider.p99(), "s");
        for (int rc : List.of(FLEET_REQUEST_CONCURRENCY, WIDER_REQUEST_CONCURRENCY)) {
            out.add(
                    "pickup_rate_within_goal_request_concurrency" + rc,
                    rateWithinGoal(rc, warmup, size.pickupSamples()),
                    "jobs/s");
        }
        out.add("pickup_fleet_request_concurrency", FLEET_REQUEST_CONCURRENCY, "requests");
        out.add("pickup_concurrent", CONCURRENT, "slots");

        // Slower arrivals without long polling: several per check_interval would mostly measure queueing.
        long gap = Math.max(size.pickupMeanGapMillis(), size.pickupCheckInterval() * 1000L / 5);
        List<Double> interval = measure(
                        Duration.ZERO,
                        size.pickupCheckInterval(),
                        FLEET_REQUEST_CONCURRENCY,
                        warmup,
                        size.pickupIntervalSamples(),
                        1000.0 / gap)
                .latencies();
        double i50 = Stats.percentile(interval, 50);
        out.add("pickup_latency_interval" + size.pickupCheckInterval() + "s_p50", i50, "s");
        out.add("pickup_latency_interval" + size.pickupCheckInterval() + "s_p99", Stats.percentile(interval, 99), "s");
        out.add("pickup_latency_interval" + size.pickupCheckInterval() + "s_samples", interval.size(), "jobs");
        out.add("pickup_latency_p50_ratio_interval_to_longpoll", i50 / steady.p50(), "x");
    }

    static Sample longPoll(int requestConcurrency, double jobsPerSecond, int warmup, int samples)
            throws InterruptedException {
        return measure(GITLAB_LONG_POLL, 3, requestConcurrency, warmup, samples, jobsPerSecond);
    }

    /**
     * The highest arrival rate, doubling from 20 jobs/s, at which pickup is still within the goal (0 if not even at
     * 20). Each step sends jobs for as long as {@code samples} take at 20 jobs/s, at least {@code samples}.
     */
    static double rateWithinGoal(int requestConcurrency, int warmup, int samples) throws InterruptedException {
        double within = 0;
        for (double rate = 20; rate <= SWEEP_LIMIT_JOBS_PER_SECOND; rate *= 2) {
            Sample sample = longPoll(requestConcurrency, rate, warmup, (int) Math.max(samples, samples * rate / 20));
            System.err.printf(
                    "bench: pickup request_concurrency=%d at %.0f jobs/s (arrived %.1f/s): p50 %.3f s, p99 %.3f s%n",
                    requestConcurrency, rate, sample.arrivalsPerSecond(), sample.p50(), sample.p99());
            if (!sample.withinGoal()) {
                break;
            }
            within = rate;
        }
        return within;
    }

    /** Latencies of {@code samples} jobs arriving at {@code jobsPerSecond}, after {@code warmup} not counted. */
    static Sample measure(
            Duration longPoll,
            int checkIntervalSeconds,
            int requestConcurrency,
            int warmup,
            int samples,
            double jobsPerSecond)
            throws InterruptedException {
        Random random = new Random(42);
        try (BenchStand stand = new BenchStand(longPoll);
                PodCreations pods = new PodCreations(stand.client(), BenchStand.NAMESPACE)) {
            stand.quickJobs();
            stand.startManager(
                    "shop-manager-pickup",
                    stand.config(CONCURRENT, checkIntervalSeconds, 4096, requestConcurrency),
                    BenchStand.productionOptions());
            // Let the first empty poll and its check_interval pause pass: the steady state is what counts.
            Thread.sleep(checkIntervalSeconds * 1000L + 200);
            Map<Long, Long> enqueued = new LinkedHashMap<>();
            List<Long> sampled = new ArrayList<>();
            double meanGapNanos = 1e9 / jobsPerSecond;
            long next = System.nanoTime();
            long firstSampled = 0;
            for (int i = 0; i < warmup + samples; i++) {
                // Arrival times on an absolute schedule, so a late wake-up does not lower the rate.
                next += (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
                for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                TestJob job = TestJob.builder().build();
                long now = System.nanoTime();
                enqueued.put(job.id(), now);
                stand.gitlab().enqueue(job);
                if (i == warmup) {
                    firstSampled = now;
                }
                if (i >= warmup) {
                    sampled.add(job.id());
                }
            }
            double arrivals =
                    samples > 1 ? (samples - 1) / ((enqueued.get(sampled.get(samples - 1)) - firstSampled) / 1e9) : 0;
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
            return new Sample(latencies, arrivals);
        }
    }
}
