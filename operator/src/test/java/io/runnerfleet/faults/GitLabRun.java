package io.runnerfleet.faults;

import io.runnerfleet.bench.PodCreations;
import io.runnerfleet.manager.BenchStand;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.RecordedRequest;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of quick jobs through one manager (production timings, long polling on, the simulated kubelet) against a
 * test GitLab answering as {@code plan} says; what GitLab ended up with for each job.
 *
 * @param jobs     per job id, in id order
 * @param injected faults drawn, per kind (every call, retries included)
 * @param seconds  from the manager's start until no job was pending or running any more (or the deadline)
 */
record GitLabRun(Map<Long, Job> jobs, Map<FaultPlan.Fault, Integer> injected, double seconds) {

    /** Section markers carry the Unix time they were written at, the one part of a trace two runs do not share. */
    private static final Pattern SECTION_TIME = Pattern.compile("section_(start|end):\\d+:");

    private static final Pattern JOB_CALL = Pattern.compile("/api/v4/jobs/(\\d+)(/trace)?");

    /**
     * What GitLab has of one job.
     *
     * @param finalUpdates final PUTs GitLab took (1: the status was delivered once)
     * @param pods         Job Pods created for it
     * @param trace        its trace, section timestamps blanked
     * @param calls        job PUTs and trace PATCHes GitLab received for it, faulty answers and retries included
     * @param tracesLost   times GitLab lost the end of its trace
     */
    record Job(long id, TestGitLab.State state, int finalUpdates, int pods, String trace, int calls, int tracesLost) {}

    static GitLabRun run(int jobs, int concurrent, FaultPlan plan, Duration deadline) throws InterruptedException {
        try (BenchStand stand = new BenchStand(Duration.ofSeconds(50), plan);
                PodCreations pods = new PodCreations(stand.client(), BenchStand.NAMESPACE)) {
            stand.quickJobs();
            for (long id = 1; id <= jobs; id++) {
                stand.gitlab().enqueue(TestJob.builder(id).build());
            }
            long start = System.nanoTime();
            stand.startManager(
                    "shop-manager-faults", stand.config(concurrent, 3, 4096), BenchStand.productionOptions());
            long end = start + deadline.toNanos();
            while (anyUnfinished(stand, jobs) && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(500); // a late second final update or a second pod would show up now
            List<RecordedRequest> requests = stand.gitlab().requests();
            Map<Long, Integer> callsPerJob = callsPerJob(requests);
            Map<Long, Job> out = new LinkedHashMap<>();
            for (long id = 1; id <= jobs; id++) {
                TestGitLab.JobView view = stand.gitlab().job(id);
                out.put(
                        id,
                        new Job(
                                id,
                                view.state(),
                                view.finalUpdates(),
                                pods.podsOf(id),
                                withoutSectionTimes(stand.gitlab().traceText(id)),
                                callsPerJob.getOrDefault(id, 0),
                                view.tracesLost()));
            }
            return new GitLabRun(out, injected(requests), seconds);
        }
    }

    static String withoutSectionTimes(String trace) {
        return SECTION_TIME.matcher(trace).replaceAll("section_$1:0:");
    }

    private static boolean anyUnfinished(BenchStand stand, int jobs) {
        for (long id = 1; id <= jobs; id++) {
            if (stand.unfinished(id)) {
                return true;
            }
        }
        return false;
    }

    /** Job PUTs and trace PATCHes by job id, every one GitLab received: faulty answers and retries included. */
    private static Map<Long, Integer> callsPerJob(List<RecordedRequest> requests) {
        Map<Long, Integer> calls = new HashMap<>();
        for (RecordedRequest r : requests) {
            Matcher m = JOB_CALL.matcher(r.path());
            if (r.endpoint().equals("update_job") || r.endpoint().equals("patch_trace")) {
                if (m.matches()) {
                    calls.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
                }
            }
        }
        return calls;
    }

    private static Map<FaultPlan.Fault, Integer> injected(List<RecordedRequest> requests) {
        Map<FaultPlan.Fault, Integer> counts = new EnumMap<>(FaultPlan.Fault.class);
        for (RecordedRequest r : requests) {
            if (r.fault() != FaultPlan.Fault.NONE) {
                counts.merge(r.fault(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Job PUTs and trace PATCHes per job. */
    double callsPerJob() {
        return jobs.values().stream().mapToInt(Job::calls).average().orElse(0);
    }
}
