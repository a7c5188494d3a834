package io.runnerfleet.manager;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A manager keeps {@code controller.kubernetes.io/pod-deletion-cost} on its own pod equal to the jobs it runs: 0
 * while idle, up with each job it carries, back down as they end, so a scale-down takes idle managers first.
 */
class DeletionCostTest {
    private static final String MANAGER = "shop-manager-a";

    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private String cost() {
        Pod pod = harness.client()
                .pods()
                .inNamespace(ManagerHarness.NAMESPACE)
                .withName(MANAGER)
                .get();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DeletionCost.ANNOTATION);
    }

    private void awaitCost(String expected) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> expected.equals(cost()));
    }

    @Test
    void theAnnotationFollowsTheRunningJobs() {
        harness.createManagerPod(MANAGER);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        harness.kubelet.scenario(2001, Scenarios.heldMidBuild(releaseFirst));
        harness.kubelet.scenario(2002, Scenarios.heldMidBuild(releaseSecond));

        harness.startManager(MANAGER);
        awaitCost("0");

        harness.gitlab.enqueue(TestJob.builder(2001).build());
        awaitCost("1");
        harness.gitlab.enqueue(TestJob.builder(2002).build());
        awaitCost("2");

        releaseFirst.countDown();
        harness.awaitDone(2001, Duration.ofSeconds(30));
        awaitCost("1");
        releaseSecond.countDown();
        harness.awaitDone(2002, Duration.ofSeconds(30));
        awaitCost("0");
    }
}
