package io.runnerfleet.bench;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.RealNodeCluster;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jobs on the real test cluster ({@code src/test-cluster/}), one after the other through the seed-shaped fleet of
 * {@link RealClusterFleet}: how long from {@code enqueue} in GitLab until the Job Pod's build container runs, and
 * what a job costs beyond its script's own time (pickup, pod start, clone, trace, final update, clean-up). The
 * baseline, measured in the same run, is a bare pod of the same image on the same node: create → running, the floor
 * that the kubelet and containerd set.
 */
final class RealClusterJobBenchmark implements Benchmark {
    private static final Pattern STAMP = Pattern.compile("script-(start|end)=(\\d+)");

    /**
     * @param podRunning  seconds from enqueue to the build container running, per job
     * @param overhead    seconds of each job's life beyond its script's own run time
     * @param barePod     seconds from create to running of bare pods of the build image
     */
    record Run(List<Double> podRunning, List<Double> overhead, List<Double> barePod) {}

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        if (!Files.isRegularFile(RealNodeCluster.envFile())) {
            System.err.println("bench: cluster skipped: no test cluster (" + RealNodeCluster.envFile()
                    + "); bring one up with src/test-cluster/up.sh");
            return;
        }
        Run run = run(Files.createTempDirectory("bench-cluster"), size.clusterJobs());
        out.add("cluster_job_pod_running_p50", Stats.percentile(run.podRunning(), 50), "s");
        out.add("cluster_job_pod_running_max", Stats.percentile(run.podRunning(), 100), "s");
        out.add("cluster_bare_pod_running_p50", Stats.percentile(run.barePod(), 50), "s");
        out.add(
                "cluster_job_pod_running_ratio_to_bare_pod",
                Stats.percentile(run.podRunning(), 50) / Stats.percentile(run.barePod(), 50),
                "x");
        out.add("cluster_job_overhead_p50", Stats.percentile(run.overhead(), 50), "s");
        out.add("cluster_job_overhead_max", Stats.percentile(run.overhead(), 100), "s");
        out.add("cluster_jobs", run.podRunning().size(), "jobs");
    }

    static Run run(Path work, int jobs) throws Exception {
        List<Double> podRunning = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        List<Double> barePod = new ArrayList<>();
        try (RealClusterFleet fleet = RealClusterFleet.start(work, Map.of("README.md", "bench\n"))) {
            for (int i = 0; i < jobs; i++) {
                barePod.add(barePodRunningSeconds(fleet, i));
                TestJob job = fleet.job()
                        .name("bench-" + i)
                        .script("echo script-start=$(date +%s%N)", "sleep 1", "echo script-end=$(date +%s%N)")
                        .build();
                long enqueued = System.nanoTime();
                fleet.gitlab().enqueue(job);
                double running = awaitBuildRunning(fleet, job.id(), enqueued);
                TestGitLab.JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(3));
                double total = (System.nanoTime() - enqueued) / 1e9;
                if (view.state() != TestGitLab.State.SUCCESS) {
                    throw new IllegalStateException("bench job " + job.id() + " ended " + view.state() + ": "
                            + fleet.gitlab().traceText(job.id()));
                }
                podRunning.add(running);
                overhead.add(total - scriptSeconds(fleet.gitlab().traceText(job.id())));
            }
        }
        return new Run(podRunning, overhead, barePod);
    }

    private static double awaitBuildRunning(RealClusterFleet fleet, long jobId, long enqueued)
            throws InterruptedException {
        long deadline = enqueued + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Pod pod = fleet.jobPod(jobId);
            if (pod != null && buildStarted(pod)) {
                return (System.nanoTime() - enqueued) / 1e9;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the Job Pod of job " + jobId + " did not start within 2 minutes");
    }

    private static boolean buildStarted(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            if (status.getName().equals("build")
                    && status.getState() != null
                    && (status.getState().getRunning() != null
                            || status.getState().getTerminated() != null)) {
                return true;
            }
        }
        return false;
    }

    private static double barePodRunningSeconds(RealClusterFleet fleet, int i) throws InterruptedException {
        String name = "bench-bare-" + i;
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withTerminationGracePeriodSeconds(0L)
                .withAutomountServiceAccountToken(false)
                .addNewContainer()
                .withName("build")
                .withImage(fleet.cluster().buildImage())
                .withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "30")
                .endContainer()
                .endSpec()
                .build();
        long start = System.nanoTime();
        fleet.client().pods().inNamespace(fleet.namespace()).resource(pod).create();
        try {
            while (System.nanoTime() - start < Duration.ofMinutes(1).toNanos()) {
                Pod current = fleet.client()
                        .pods()
                        .inNamespace(fleet.namespace())
                        .withName(name)
                        .get();
                if (current != null && buildStarted(current)) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("bare pod " + name + " did not start within a minute");
        } finally {
            fleet.client()
                    .pods()
                    .inNamespace(fleet.namespace())
                    .withName(name)
                    .withGracePeriod(0)
                    .delete();
        }
    }

    /** The script's own time, from the stamps it printed (its clock is this machine's). */
    static double scriptSeconds(String trace) {
        long start = 0;
        long end = 0;
        Matcher m = STAMP.matcher(trace);
        while (m.find()) {
            if (m.group(1).equals("start")) {
                start = Long.parseLong(m.group(2));
            } else {
                end = Long.parseLong(m.group(2));
            }
        }
        if (start == 0 || end == 0) {
            throw new IllegalStateException("no script stamps in the trace: " + trace);
        }
        return (end - start) / 1e9;
    }
}
