package io.runnerfleet.faults;

import io.runnerfleet.bench.MemoryBenchmark;
import io.runnerfleet.bench.PodCreations;
import io.runnerfleet.manager.JobStand;
import io.runnerfleet.testing.gitlab.TestGitLab;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One soak: waits until every job is done (or the deadline) while killing a manager every {@code killEvery} and
 * reading the managers' memory every {@code sampleEvery}; then holds what GitLab and the API server saw per job.
 */
final class SoakRun {
    /**
     * What the soak found.
     *
     * @param lost             jobs GitLab got no final {@code success} for, or that never got a Job Pod (goal 0)
     * @param lostBeforeRecord of those, jobs GitLab handed out whose record (their Secret, the first thing a manager
     *                         writes for a job) was never written: the manager was killed between GitLab's answer
     *                         to {@code jobs/request} and that write, the one window nothing can recover
     * @param resumed          jobs whose trace says a peer resumed them from their record (their manager killed
     *                         after writing it and before making their pod)
     * @param twice            jobs with more than one final status taken by GitLab, or more than one Job Pod (goal 0)
     * @param incomplete       jobs with a Job Pod whose trace lacks a line of the job's logs, has one twice, or does
     *                         not end with "Job succeeded" (goal 0; a job without a pod is lost, and has no trace)
     * @param kubeRequests     requests the managers sent to the API server (by their User-Agent), watches included
     * @param gitlabCalls      calls the managers sent to GitLab, every endpoint
     * @param rssAnyManager    the most RSS of any manager at each reading
     * @param survivorRss      RSS of the manager never killed
     * @param survivorLiveHeap its heap after a full GC
     * @param seconds          from the managers' start until no job was pending or running (or the deadline)
     */
    record Result(
            int jobs,
            int managers,
            int kills,
            int killsAsNewPod,
            int lost,
            int lostBeforeRecord,
            int resumed,
            int twice,
            int incomplete,
            long kubeRequests,
            long gitlabCalls,
            MemorySeries rssAnyManager,
            MemorySeries survivorRss,
            MemorySeries survivorLiveHeap,
            double seconds) {}

    /**
     * What the simulated kubelet writes for a quick job (Scenarios.success()), each once in a complete trace. The
     * helper's line is matched with its line ends: the manager's section header before it has the same words.
     */
    static final List<String> JOB_LINES = List.of(
            "Checking out 3f2c1e9a",
            "$ make test",
            "running 3 tests",
            "ok  shop/cart",
            "ok  shop/pay",
            "done without newline",
            "\nUploading artifacts for successful job\n",
            "Job succeeded");

    /** The line a resumed job's trace has (manager.JobRecord.resumedNote). */
    private static final String RESUMED = "Resumed by runner manager ";

    private final SoakSize size;
    private final JobStand stand;
    private final PodCreations pods;
    private final RecordWrites records;
    private final ManagerProcesses managers;
    private final List<Long> ids;
    private final MemorySeries rssAnyManager = new MemorySeries();
    private final MemorySeries survivorRss = new MemorySeries();
    private final MemorySeries survivorLiveHeap = new MemorySeries();
    private int kills;
    private int killsAsNewPod;

    SoakRun(
            SoakSize size,
            JobStand stand,
            PodCreations pods,
            RecordWrites records,
            ManagerProcesses managers,
            List<Long> ids) {
        this.size = size;
        this.stand = stand;
        this.pods = pods;
        this.records = records;
        this.managers = managers;
        this.ids = ids;
    }

    Result run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        managers.startAll();
        long end = start + size.deadline().toNanos();
        // Memory is read from the first job done on, as the kills: a reading at the managers' launch is of a JVM
        // not yet started (about 3 MiB), which made the survivor's "first tenth" meaningless.
        long nextSample = Long.MAX_VALUE;
        long nextKill = Long.MAX_VALUE;
        int remaining = ids.size();
        long onlyUnrecordedSince = Long.MAX_VALUE;
        while (remaining > 0 && System.nanoTime() < end && !stuck(onlyUnrecordedSince)) {
            long now = System.nanoTime();
            if (nextKill == Long.MAX_VALUE && remaining < ids.size()) {
                // The clock of kills starts with the first job done: the managers are up and taking jobs.
                nextKill = now + size.killEvery().toNanos();
                nextSample = now;
            }
            if (now >= nextKill && (size.maxKills() == 0 || kills < size.maxKills())) {
                kill();
                nextKill = System.nanoTime() + size.killEvery().toNanos();
            }
            if (now >= nextSample) {
                sample();
                nextSample = now + size.sampleEvery().toNanos();
            }
            Thread.sleep(500);
            remaining = unfinished();
            if (remaining == 0 || remaining > unrecordedRunning()) {
                onlyUnrecordedSince = Long.MAX_VALUE;
            } else if (onlyUnrecordedSince == Long.MAX_VALUE) {
                onlyUnrecordedSince = System.nanoTime();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sample();
        Thread.sleep(2_000); // a late second final update or a second pod would show up now
        return result(seconds);
    }

    /** The managers but the last (the survivor) in turn. */
    private void kill() throws IOException, InterruptedException {
        int victim = kills % Math.max(1, managers.size() - 1);
        boolean newPod = managers.killAndRestart(victim);
        kills++;
        if (newPod) {
            killsAsNewPod++;
        }
        System.err.printf(
                "faults: soak kill %d: manager %d SIGKILLed, back as %s; %d jobs unfinished%n",
                kills, victim, newPod ? "a new pod" : "the same pod", unfinished());
    }

    private void sample() throws IOException, InterruptedException {
        long most = 0;
        for (int i = 0; i < managers.size(); i++) {
            Process p = managers.process(i);
            if (p.isAlive()) {
                most = Math.max(most, MemoryBenchmark.resident(p.pid()).rss());
            }
        }
        rssAnyManager.add(most);
        Process survivor = managers.process(managers.size() - 1);
        if (!survivor.isAlive()) {
            throw new IllegalStateException(
                    "the manager never killed died: " + MemoryBenchmark.tail(managers.log(managers.size() - 1)));
        }
        survivorRss.add(MemoryBenchmark.resident(survivor.pid()).rss());
        survivorLiveHeap.add(MemoryBenchmark.liveHeapBytes(survivor.pid()));
    }

    /**
     * Whether the only unfinished jobs have for a minute been running in GitLab with neither a Job Pod nor a record:
     * handed to a manager killed before it wrote anything about them. No peer can see such a job, so nothing will
     * finish it (GitLab's stuck-job check fails it, hours later); the run ends instead of waiting out its deadline.
     * A job with a record and no pod is not stuck: a peer resumes it once the dead manager's Lease has expired.
     */
    private static boolean stuck(long onlyUnrecordedSince) {
        return onlyUnrecordedSince != Long.MAX_VALUE
                && System.nanoTime() - onlyUnrecordedSince > UNRECORDED_GRACE.toNanos();
    }

    private static final Duration UNRECORDED_GRACE = Duration.ofMinutes(1);

    /**
     * Jobs handed out and unfinished with neither a pod nor a record. Handed out, not RUNNING: the test GitLab keeps
     * a job PENDING until its first {@code state=running} PUT, while GitLab makes it running as it hands it out
     * ({@code Ci::RegisterJobService}); a manager killed before that PUT leaves it PENDING here.
     */
    private int unrecordedRunning() {
        int n = 0;
        for (long id : ids) {
            TestGitLab.JobView job = stand.gitlab().job(id);
            if (job.handedOut() && stand.unfinished(id) && pods.podsOf(id) == 0 && !records.recorded(id)) {
                n++;
            }
        }
        return n;
    }

    private int unfinished() {
        int n = 0;
        for (long id : ids) {
            if (stand.unfinished(id)) {
                n++;
            }
        }
        return n;
    }

    private Result result(double seconds) {
        int lost = 0;
        int lostBeforeRecord = 0;
        int resumed = 0;
        int twice = 0;
        int incomplete = 0;
        for (long id : ids) {
            TestGitLab.JobView job = stand.gitlab().job(id);
            int podCount = pods.podsOf(id);
            if (job.finalUpdates() == 0 || podCount == 0 || job.state() != TestGitLab.State.SUCCESS) {
                lost++;
                boolean recorded = records.recorded(id);
                if (podCount == 0 && job.handedOut() && !recorded) {
                    lostBeforeRecord++;
                }
                System.err.printf(
                        "faults: soak job %d lost: %s, %d final updates, %d pods, %s%n",
                        id, job.state(), job.finalUpdates(), podCount, recorded ? "recorded" : "never recorded");
            }
            if (job.finalUpdates() > 1 || podCount > 1) {
                twice++;
                System.err.printf(
                        "faults: soak job %d twice: %d final updates, %d pods%n", id, job.finalUpdates(), podCount);
            }
            String trace = stand.gitlab().traceText(id);
            if (trace.contains(RESUMED)) {
                resumed++;
            }
            if (podCount > 0 && !complete(trace)) {
                incomplete++;
                if (incomplete <= 5) {
                    System.err.printf("faults: soak job %d trace incomplete:%n%s%n", id, trace);
                }
            }
        }
        long kubeRequests = stand.requestsBy(ManagerProcesses.USER_AGENT);
        return new Result(
                ids.size(),
                managers.size(),
                kills,
                killsAsNewPod,
                lost,
                lostBeforeRecord,
                resumed,
                twice,
                incomplete,
                kubeRequests,
                stand.gitlab().requests().size(),
                rssAnyManager,
                survivorRss,
                survivorLiveHeap,
                seconds);
    }

    /** Every line of the job's logs exactly once, and "Job succeeded" last. */
    static boolean complete(String trace) {
        for (String line : JOB_LINES) {
            int first = trace.indexOf(line);
            if (first < 0 || trace.indexOf(line, first + 1) >= 0) {
                return false;
            }
        }
        String[] lines = trace.strip().split("\n");
        return lines[lines.length - 1].contains("Job succeeded");
    }
}
