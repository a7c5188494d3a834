package io.runnerfleet.faults;

import io.runnerfleet.bench.Figures;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue #18's faults on GitLab's side: the same jobs run twice through one manager, against a fault-free GitLab
 * (the reference) and against one answering {@link FaultPlan#unreliableGitLab} (5xx, 429 with {@code Retry-After},
 * connections closed mid-answer, stalls, 416 after a lost trace end, 409 on job PUTs). Per job: was the final
 * status delivered exactly once, is the trace byte for byte the reference's (apart from section timestamps), how
 * many calls did it take.
 */
public final class GitLabFaults implements FaultScenario {
    /** Seeds the fault draws: the same plan each run (the order of concurrent calls still varies). */
    static final long SEED = 18;

    @Override
    public String name() {
        return "gitlab";
    }

    /**
     * The faulty run held against the reference.
     *
     * @param statusOnce  jobs whose final status GitLab took exactly once (goal: all)
     * @param lost        jobs GitLab never got a final status of, or never got a pod
     * @param twice       jobs with more than one final status taken or more than one pod
     * @param tracesEqual jobs whose trace equals the reference's (goal: all)
     * @param differing   a few job ids whose trace differs, for the log
     */
    record Comparison(
            int jobs,
            int statusOnce,
            int lost,
            int twice,
            int tracesEqual,
            List<Long> differing,
            GitLabRun reference,
            GitLabRun faulty) {}

    @Override
    public void run(FaultSize size, Figures out) throws Exception {
        Comparison c = compare(size);
        out.add("gitlab_faults_jobs", c.jobs(), "jobs");
        out.add("gitlab_faults_rate", size.gitlabFaultRate(), "of calls");
        for (FaultPlan.Fault f : FaultPlan.Fault.values()) {
            if (f != FaultPlan.Fault.NONE) {
                out.add(
                        "gitlab_faults_injected_" + f.name().toLowerCase(Locale.ROOT),
                        c.faulty().injected().getOrDefault(f, 0),
                        "calls");
            }
        }
        out.add("gitlab_faults_status_delivered_once", c.statusOnce(), "jobs");
        out.add("gitlab_faults_jobs_lost", c.lost(), "jobs");
        out.add("gitlab_faults_jobs_twice", c.twice(), "jobs");
        out.add("gitlab_faults_traces_equal_reference", c.tracesEqual(), "jobs");
        out.add("gitlab_faults_calls_per_job_reference", c.reference().callsPerJob(), "calls");
        out.add("gitlab_faults_calls_per_job", c.faulty().callsPerJob(), "calls");
        out.add("gitlab_faults_all_done_reference", c.reference().seconds(), "s");
        out.add("gitlab_faults_all_done", c.faulty().seconds(), "s");
    }

    static Comparison compare(FaultSize size) throws InterruptedException {
        System.err.printf("faults: gitlab reference run, %d jobs without faults%n", size.gitlabJobs());
        GitLabRun reference =
                GitLabRun.run(size.gitlabJobs(), size.gitlabConcurrent(), FaultPlan.NONE, size.gitlabDeadline());
        FaultPlan plan = FaultPlan.unreliableGitLab(SEED, size.gitlabFaultRate(), size.gitlabStall(), 1);
        System.err.printf(
                "faults: gitlab faulty run, %d jobs, %.0f %% of calls faulty%n",
                size.gitlabJobs(), 100 * size.gitlabFaultRate());
        GitLabRun faulty = GitLabRun.run(size.gitlabJobs(), size.gitlabConcurrent(), plan, size.gitlabDeadline());
        return compare(reference, faulty);
    }

    static Comparison compare(GitLabRun reference, GitLabRun faulty) {
        int once = 0;
        int lost = 0;
        int twice = 0;
        int equal = 0;
        List<Long> differing = new ArrayList<>();
        for (GitLabRun.Job job : faulty.jobs().values()) {
            GitLabRun.Job ref = reference.jobs().get(job.id());
            if (job.finalUpdates() == 1 && job.state() == ref.state()) {
                once++;
            }
            if (job.finalUpdates() == 0 || job.pods() == 0 || job.state() != TestGitLab.State.SUCCESS) {
                lost++;
            }
            if (job.finalUpdates() > 1 || job.pods() > 1) {
                twice++;
            }
            if (job.trace().equals(ref.trace())) {
                equal++;
            } else if (differing.size() < 5) {
                differing.add(job.id());
                System.err.printf(
                        "faults: job %d trace differs from the reference (%d bytes, reference %d, trace ends lost %d)"
                                + "%n--- reference%n%s%n--- faulty%n%s%n",
                        job.id(),
                        job.trace().length(),
                        ref.trace().length(),
                        job.tracesLost(),
                        ref.trace(),
                        job.trace());
            }
        }
        return new Comparison(faulty.jobs().size(), once, lost, twice, equal, differing, reference, faulty);
    }
}
