package io.runnerfleet.faults;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.testing.JobPodUids;
import io.runnerfleet.testing.KubeFaultProxy;
import io.runnerfleet.testing.gitlab.TestGitLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** The phases of one {@link KubeJobFaults} run once its jobs are queued: running, outage, done, cleaned up, counted. */
final class KubeJobsRun {
    private static final Pattern TICK = Pattern.compile("(?m)^tick-(\\d+)\\r?$");
    /** How long the managers have to delete the Job Pods and Secrets of ended jobs, under faults. */
    private static final Duration CLEANUP = Duration.ofSeconds(90);

    private final KubeJobsSize size;
    private final TestGitLab gitlab;
    private final List<Long> ids;
    private final KubeFaultProxy proxy;

    KubeJobsRun(KubeJobsSize size, TestGitLab gitlab, List<Long> ids, KubeFaultProxy proxy) {
        this.size = size;
        this.gitlab = gitlab;
        this.ids = ids;
        this.proxy = proxy;
    }

    /** Until {@code runningBefore} builds printed their first line (or 5 minutes: then the outage starts anyway). */
    void awaitRunning() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < end && building() < size.runningBefore()) {
            Thread.sleep(250);
        }
        System.err.printf("faults: kube-jobs %d builds running, %d done%n", building(), ids.size() - unfinished());
    }

    private int building() {
        int n = 0;
        for (long id : ids) {
            if (gitlab.traceText(id).contains("\ntick-1")) {
                n++;
            }
        }
        return n;
    }

    /** The outage: every call refused, every watch and log stream ended; returns System.nanoTime at its end. */
    long outage() throws InterruptedException {
        System.err.printf("faults: kube-jobs outage of %d s%n", size.outage().toSeconds());
        proxy.outage(true);
        Thread.sleep(size.outage().toMillis());
        proxy.outage(false);
        long end = System.nanoTime();
        System.err.printf("faults: kube-jobs outage over, %d jobs unfinished%n", unfinished());
        return end;
    }

    void awaitAllDone(long deadlineNanos) throws InterruptedException {
        while (unfinished() > 0 && System.nanoTime() < deadlineNanos) {
            Thread.sleep(250);
        }
    }

    private int unfinished() {
        int n = 0;
        for (long id : ids) {
            TestGitLab.State state = gitlab.state(id);
            if (state == TestGitLab.State.PENDING
                    || state == TestGitLab.State.RUNNING
                    || state == TestGitLab.State.CANCELING) {
                n++;
            }
        }
        return n;
    }

    /** Until the fleet's Job Pods and job Secrets are gone (the managers delete them), or {@link #CLEANUP}. */
    void awaitCleanedUp(KubernetesClient direct, String namespace) throws InterruptedException {
        long end = System.nanoTime() + CLEANUP.toNanos();
        while (leftovers(direct, namespace) > 0 && System.nanoTime() < end) {
            Thread.sleep(500);
        }
    }

    private static int leftovers(KubernetesClient direct, String namespace) {
        return direct.pods()
                        .inNamespace(namespace)
                        .withLabels(JobPodUids.selector(KubeJobFaults.FLEET))
                        .list()
                        .getItems()
                        .size()
                + direct.secrets()
                        .inNamespace(namespace)
                        .withLabels(JobPodUids.selector(KubeJobFaults.FLEET))
                        .list()
                        .getItems()
                        .size();
    }

    KubeJobsResult result(
            JobPodUids pods, KubernetesClient direct, String namespace, double allDone, double afterOutage) {
        int started = 0;
        int finished = 0;
        int lost = 0;
        int twice = 0;
        int incomplete = 0;
        for (long id : ids) {
            TestGitLab.JobView job = gitlab.job(id);
            int podCount = pods.podsOf(id);
            String trace = gitlab.traceText(id);
            if (podCount > 0) {
                started++;
            }
            if (job.state() == TestGitLab.State.SUCCESS || job.state() == TestGitLab.State.FAILED) {
                finished++;
            }
            if (job.finalUpdates() == 0 || podCount == 0 || job.state() != TestGitLab.State.SUCCESS) {
                lost++;
                System.err.printf(
                        "faults: kube-jobs job %d lost: %s (%s), %d final updates, %d pods; trace:%n%s%n",
                        id, job.state(), job.failureReason(), job.finalUpdates(), podCount, trace);
            }
            if (job.finalUpdates() > 1 || podCount > 1) {
                twice++;
                System.err.printf(
                        "faults: kube-jobs job %d twice: %d final updates, %d pods%n",
                        id, job.finalUpdates(), podCount);
            }
            if (podCount > 0 && !complete(trace, size.ticks())) {
                incomplete++;
                System.err.printf("faults: kube-jobs job %d trace incomplete:%n%s%n", id, trace);
            }
        }
        return new KubeJobsResult(
                started,
                finished,
                lost,
                twice,
                incomplete,
                leftovers(direct, namespace),
                allDone,
                afterOutage,
                proxy.count("error"),
                proxy.count("conflict"),
                proxy.count("slow"),
                proxy.count("cut"),
                proxy.count("refused"));
    }

    /** tick-1..tick-N each once and in order, and {@code Job succeeded} last. */
    static boolean complete(String trace, int ticks) {
        List<Integer> seen = new ArrayList<>();
        Matcher m = TICK.matcher(trace);
        while (m.find()) {
            seen.add(Integer.parseInt(m.group(1)));
        }
        String[] lines = trace.strip().split("\n");
        return seen.equals(IntStream.rangeClosed(1, ticks).boxed().toList())
                && lines[lines.length - 1].contains("Job succeeded");
    }
}
