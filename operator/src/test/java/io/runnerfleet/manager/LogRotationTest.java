package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kubelet rotates a container's log and then serves only the new file: lines rotated away before a manager read
 * them are gone from the log API, but not from the build's log file, which fills the gap (issue #15).
 */
class LogRotationTest {
    private static final Pattern LINE = Pattern.compile("(?m)^line (\\d+)$");

    private ManagerHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aFollowStreamResumingAfterARotationGetsTheRotatedLinesFromTheBuildLogFileOnceAndInOrder() {
        harness = new ManagerHarness();
        CountDownLatch firstLinesInTrace = new CountDownLatch(1);
        harness.kubelet.scenario(801, k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", lines(0, 100)));
            released(firstLinesInTrace);
            // Printed and rotated away before the manager's stream resumes: only the file has them.
            k.step(s -> s.log("build", lines(100, 250)).rotateLog("build"));
            k.step(s -> s.log("build", lines(250, 260)));
            // The build goes on while the manager notices the gap (its file reads exec into the helper, which exits
            // soon after the build; a gap noticed only after that is the kubelet's log alone, docs/job-survival.md).
            Pod pod = k.raw().pod();
            if (!harness.logFiles.awaitReader(
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Duration.ofSeconds(60))) {
                throw new IllegalStateException("the manager never read the build's log file");
            }
            k.step(s -> s.log("build", lines(260, 300)));
            finish(k);
        });
        harness.gitlab.enqueue(TestJob.builder(801).build());
        harness.startManager("shop-manager-a");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gitlab.traceText(801).contains("line 99\n"));
        firstLinesInTrace.countDown();

        harness.awaitDone(801, Duration.ofSeconds(60));

        String trace = harness.gitlab.traceText(801);
        assertThat(harness.gitlab.job(801).state()).as(trace).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(numbers(trace)).isEqualTo(range(0, 300));
        assertThat(trace).contains("line 299\nPASS\n");
        assertThat(harness.logFiles.reads())
                .as("the gap was read from the file")
                .isPositive();
    }

    @Test
    void aJobAdoptedAfterItsLogWasRotatedHasTheWholeBuildInItsTrace() {
        harness = new ManagerHarness();
        CountDownLatch managerGone = new CountDownLatch(1);
        CountDownLatch adopted = new CountDownLatch(1);
        harness.kubelet.scenario(802, k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            k.step(s -> s.log("build", lines(0, 100)));
            released(managerGone);
            // No manager follows while these are printed and rotated away.
            k.step(s -> s.log("build", lines(100, 200)).rotateLog("build"));
            k.step(s -> s.log("build", lines(200, 250)));
            released(adopted);
            // The build goes on while the adopter starts reading its file, as in the real-cluster scenario (a job
            // whose helper had exited before its adopter's first read gets the kubelet's log alone).
            Pod pod = k.raw().pod();
            if (!harness.logFiles.awaitReader(
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Duration.ofSeconds(60))) {
                throw new IllegalStateException("the adopter never read the build's log file");
            }
            k.step(s -> s.log("build", lines(250, 300)));
            finish(k);
        });
        harness.gitlab.enqueue(TestJob.builder(802).build());
        RunnerManager doomed = harness.startManager("shop-manager-a");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gitlab.traceText(802).contains("line 99\n"));
        doomed.crash();
        managerGone.countDown();
        harness.startManager("shop-manager-b");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "shop-manager-b".equals(PodAdoption.managerOf(harness.jobPod(802))));
        adopted.countDown();

        harness.awaitDone(802, Duration.ofSeconds(60));

        String trace = harness.gitlab.traceText(802);
        assertThat(harness.gitlab.job(802).state()).as(trace).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(harness.gitlab.job(802).finalUpdates()).isEqualTo(1);
        assertThat(numbers(trace)).isEqualTo(range(0, 300));
        assertThat(trace).contains("line 299\nPASS\n");
    }

    @Test
    void aJobWhoseStreamsAlwaysOverlapNeverReadsTheFile() {
        harness = new ManagerHarness();
        harness.kubelet.scenario(803, k -> {
            prepared(k);
            k.step(s -> s.startContainer("build").startContainer("helper"));
            for (int i = 0; i < 5; i++) {
                int from = i * 60;
                k.step(s -> s.log("build", lines(from, from + 60)));
                Thread.sleep(300); // each batch after the follow stream before it ended
            }
            finish(k);
        });
        harness.kube.logs().endStreamsEvery(25);
        harness.gitlab.enqueue(TestJob.builder(803).build());
        harness.startManager("shop-manager-a");

        harness.awaitDone(803, Duration.ofSeconds(60));

        assertThat(numbers(harness.gitlab.traceText(803))).isEqualTo(range(0, 300));
        assertThat(harness.logFiles.reads()).isZero();
    }

    private static void prepared(KubeletDriver.Kubelet k) throws InterruptedException {
        k.step(s -> s.schedule());
        k.step(s -> s.startContainer("prepare").log("prepare", "Fetching changes"));
        k.step(s -> s.terminateContainer("prepare", 0));
    }

    /**
     * The build's end; the helper then exits as its script does: at once, unless a manager reads the build's log
     * file, which execs into the helper and so must have read to its end first (SimulatedLogFiles).
     */
    private void finish(KubeletDriver.Kubelet k) throws InterruptedException {
        k.step(s -> s.log("build", "PASS"));
        k.step(s -> s.terminateContainer("build", 0));
        k.step(s -> s.log("helper", "Uploading artifacts for successful job"));
        Pod pod = k.raw().pod();
        harness.logFiles.helperMayExit(
                pod.getMetadata().getNamespace(), pod.getMetadata().getName(), Duration.ofSeconds(30));
        k.step(s -> s.terminateContainer("helper", 0));
        k.step(s -> s.succeed());
    }

    private static void released(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
        }
    }

    private static String[] lines(int from, int to) {
        return LongStream.range(from, to).mapToObj(n -> "line " + n).toArray(String[]::new);
    }

    private static List<Long> range(int from, int to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** The numbers of the trace's {@code line N} lines, in the order the trace has them. */
    private static List<Long> numbers(String trace) {
        List<Long> out = new ArrayList<>();
        Matcher m = LINE.matcher(trace);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
