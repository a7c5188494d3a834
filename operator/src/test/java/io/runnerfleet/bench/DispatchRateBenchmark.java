package io.runnerfleet.bench;

import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Dispatch rate: one manager with {@code concurrent = N} (production timings, long polling on) and a queue of quick
 * jobs waiting when it starts. The figure is Job Pods created per second, from the first pod's creation to the
 * last's; then every job must have ended in GitLab with exactly one final update and exactly one pod created.
 */
public final class DispatchRateBenchmark implements Benchmark {
    @Override
    public String name() {
        return "dispatch";
    }

    /** One run's outcome. */
    record Run(int jobs, double podsPerSecond, double allDoneSeconds, int lost, int ranTwice, int mostPodsAtOnce) {}

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        run(Math.max(2, size.dispatchJobs() / 10), size.dispatchConcurrent()); // warm-up, not counted
        List<Double> rates = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        int lost = 0;
        int twice = 0;
        int most = 0;
        for (int i = 0; i < size.dispatchRuns(); i++) {
            Run run = run(size.dispatchJobs(), size.dispatchConcurrent());
            rates.add(run.podsPerSecond());
            totals.add(run.allDoneSeconds());
            lost += run.lost();
            twice += run.ranTwice();
            most = Math.max(most, run.mostPodsAtOnce());
        }
        out.add("dispatch_rate_median", Stats.median(rates), "pods/s");
        out.add("dispatch_rate_worst", Stats.min(rates), "pods/s");
        out.add("dispatch_all_done_median", Stats.median(totals), "s");
        out.add("dispatch_jobs", size.dispatchJobs(), "jobs");
        out.add("dispatch_concurrent", size.dispatchConcurrent(), "slots");
        out.add("dispatch_most_pods_at_once", most, "pods");
        out.add("dispatch_runs", size.dispatchRuns(), "runs");
        out.add("dispatch_jobs_lost", lost, "jobs");
        out.add("dispatch_jobs_ran_twice", twice, "jobs");
    }

    static Run run(int jobs, int concurrent) throws InterruptedException {
        try (BenchStand stand = new BenchStand(Duration.ofSeconds(50));
                PodCreations pods = new PodCreations(stand.client(), BenchStand.NAMESPACE)) {
            stand.quickJobs();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(stand.gitlab().enqueue(TestJob.builder().build()));
            }
            long start = System.nanoTime();
            stand.startManager(
                    "shop-manager-dispatch", stand.config(concurrent, 3, 4096), BenchStand.productionOptions());
            long deadline = start + Duration.ofMinutes(5).toNanos();
            while (ids.stream().anyMatch(stand::unfinished)) {
                if (System.nanoTime() > deadline) {
                    break; // counted as lost below
                }
                Thread.sleep(100);
            }
            long done = System.nanoTime();
            Thread.sleep(200); // a second pod for a job would show up now
            int lost = 0;
            int twice = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (long id : ids) {
                TestGitLab.JobView view = stand.gitlab().job(id);
                if (view.state() != TestGitLab.State.SUCCESS || pods.podsOf(id) == 0) {
                    lost++;
                }
                if (view.finalUpdates() > 1 || pods.podsOf(id) > 1) {
                    twice++;
                }
                Long seen = pods.firstSeen(id);
                if (seen != null) {
                    first = Math.min(first, seen);
                    last = Math.max(last, seen);
                }
            }
            double spread = (last - first) / 1e9;
            double rate = spread > 0 ? (jobs - 1) / spread : 0;
            return new Run(jobs, rate, (done - start) / 1e9, lost, twice, stand.mostJobPodsAtOnce());
        }
    }
}
