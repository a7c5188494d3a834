package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnerfleet.testing.External;
import io.runnerfleet.testing.JobPodUids;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.gitlab.TestGitLab.JobView;
import io.runnerfleet.testing.gitlab.TestGitLab.State;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18 on the real cluster: a job runs while one daemon of the cluster fails under it, killed and started again
 * by {@code src/test-cluster/restart.sh} as {@code up.sh} started it. Each scenario asserts what a user needs from
 * the fleet afterwards: the job finished once, successfully, with every line of its trace exactly once; 0 jobs lost,
 * 0 run twice (one Job Pod ever created for it, one final status), 0 orphaned Job Pods or job Secrets. The daemon is
 * back and the node Ready before each scenario returns, also when it fails ({@code --ensure-up} in a finally).
 *
 * <p>gitlab-runner is the reference for what a job sees: its Kubernetes executor takes a failed pod status read as a
 * warning, not a failure (executors/kubernetes/kubernetes.go {@code checkPodStatus}), and attaches to the build's
 * log again with back-off, from where it was, when the stream breaks (executors/kubernetes/log_processor.go
 * {@code attach}); the job fails only when the pod itself does (phase not Running, a container terminated).
 */
@External.RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneRestartsOnRealClusterTest {
    private static final Pattern TICK = Pattern.compile("(?m)^tick-(\\d+)\\r?$");

    @TempDir
    static Path work;

    private RealClusterFleet fleet;
    private JobPodUids jobPods;
    /** The uid of every Job Pod ever seen, per job id: more than one means the job ran twice. */
    @BeforeAll
    void startFleet() throws Exception {
        fleet = RealClusterFleet.start(work, Map.of("README.md", "restarts\n"));
        // An informer survives the API server's restart (it lists again), so a second Job Pod cannot hide in it.
        jobPods = new JobPodUids(fleet.client(), fleet.namespace(), RealClusterFleet.FLEET);
    }

    @AfterEach
    void keepManagerLogs(TestInfo test) {
        if (fleet != null) {
            fleet.keepManagerLogs(test.getTestMethod().map(m -> m.getName()).orElse("scenario"));
        }
    }

    @AfterAll
    void stopFleet() {
        if (jobPods != null) {
            jobPods.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    /** Long enough for the node to go NotReady (the node controller's grace period) and come back. */
    @Test
    @Order(1)
    void aJobRunsThroughTheKubeletStoppedFor60Seconds() {
        runAcross(100, "kubelet", "--stop-for", "60");
    }

    /** As a service manager restarts it (SIGTERM); the containers' shims keep the build running. */
    @Test
    @Order(2)
    void aJobRunsThroughAContainerdRestart() {
        runAcross(30, "containerd");
    }

    /** SIGKILL: no graceful end of the managers' watches and log streams; they see refused connections. */
    @Test
    @Order(3)
    void aJobRunsThroughTheKubeApiserverKilledAndRestarted() {
        runAcross(40, "kube-apiserver", "--signal", "KILL");
    }

    private void runAcross(int ticks, String component, String... restartOptions) {
        TestJob job = fleet.job()
                .name("across-" + component)
                .script("for i in $(seq 1 " + ticks + "); do echo tick-$i; sleep 1; done")
                .build();
        fleet.gitlab().enqueue(job);
        await("job running")
                .atMost(Duration.ofMinutes(3))
                .until(() -> fleet.gitlab().traceText(job.id()).contains("\ntick-3"));
        try {
            fleet.cluster().restart(component, restartOptions);
        } finally {
            fleet.cluster().restart(component, "--ensure-up");
        }

        JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(6));

        String trace = fleet.gitlab().traceText(job.id());
        List<Integer> seen = ticks(trace);
        long orphans = orphanedJobObjects();
        int pods = jobPods.podsOf(job.id());
        System.err.printf(
                "restart_%s: state=%s final_updates=%d job_pods=%d orphaned=%d ticks=%d/%d%n",
                component, view.state(), view.finalUpdates(), pods, orphans, seen.size(), ticks);
        assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
        assertThat(view.finalUpdates()).as("final statuses taken").isEqualTo(1);
        assertThat(seen)
                .as("every line of the build exactly once, in order")
                .isEqualTo(IntStream.rangeClosed(1, ticks).boxed().toList());
        assertThat(trace).contains("Job succeeded");
        assertThat(pods).as("Job Pods created for the job").isEqualTo(1);
        assertThat(orphans).as("Job Pods and job Secrets left after the job").isZero();
    }

    private static List<Integer> ticks(String trace) {
        List<Integer> seen = new ArrayList<>();
        Matcher m = TICK.matcher(trace);
        while (m.find()) {
            seen.add(Integer.parseInt(m.group(1)));
        }
        return seen;
    }

    /** Job Pods and job Secrets of the fleet still there (awaitFinal waited for this job's to go). */
    private long orphanedJobObjects() {
        return fleet.client()
                        .pods()
                        .inNamespace(fleet.namespace())
                        .withLabels(JobPodUids.selector(RealClusterFleet.FLEET))
                        .list()
                        .getItems()
                        .size()
                + fleet.client()
                        .secrets()
                        .inNamespace(fleet.namespace())
                        .withLabels(JobPodUids.selector(RealClusterFleet.FLEET))
                        .list()
                        .getItems()
                        .size();
    }
}
