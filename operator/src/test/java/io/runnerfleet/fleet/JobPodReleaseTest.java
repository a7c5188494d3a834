package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.runnerfleet.api.v1alpha1.DisruptionSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Past maxWait a Job Pod loses the label the job budget selects (and safe-to-evict); before it, nothing changes. */
@EnableKubernetesMockClient(crud = true)
class JobPodReleaseTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    KubernetesClient client;

    /** Created in the mock, returned as the operator's cache holds it (creation time set, as the server sets it). */
    private Pod jobPod(String name, Instant created) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("builds")
                .withLabels(Map.of(
                        FleetLabels.FLEET,
                        "build-fleet",
                        FleetLabels.JOB_ID,
                        "1",
                        FleetLabels.DISRUPTION_PROTECTED,
                        "true"))
                .withAnnotations(Map.of(FleetLabels.SAFE_TO_EVICT, "false", "keep", "me"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("build")
                .withImage("alpine")
                .endContainer()
                .endSpec()
                .build();
        client.resource(pod).create();
        pod.getMetadata().setCreationTimestamp(created.toString());
        return pod;
    }

    private Pod stored(String name) {
        return client.pods().inNamespace("builds").withName(name).get();
    }

    @Test
    void releasesThePodsPastMaxWaitAndSaysWhenTheNextIsDue() {
        Pod old = jobPod("old", NOW.minus(Duration.ofHours(3)));
        Pod young = jobPod("young", NOW.minus(Duration.ofMinutes(90)));

        Optional<Duration> next =
                new JobPodRelease(client).release(new DisruptionSpec(true, "2h"), List.of(old, young), NOW);

        assertThat(stored("old").getMetadata().getLabels())
                .doesNotContainKey(FleetLabels.DISRUPTION_PROTECTED)
                .containsEntry(FleetLabels.JOB_ID, "1");
        assertThat(stored("old").getMetadata().getAnnotations())
                .doesNotContainKey(FleetLabels.SAFE_TO_EVICT)
                .containsEntry("keep", "me");
        assertThat(stored("young").getMetadata().getLabels()).containsEntry(FleetLabels.DISRUPTION_PROTECTED, "true");
        assertThat(next).contains(Duration.ofMinutes(30));
    }

    @Test
    void withoutMaxWaitEveryPodStaysProtectedAndNothingIsScheduled() {
        Pod old = jobPod("old", NOW.minus(Duration.ofDays(2)));

        Optional<Duration> next = new JobPodRelease(client).release(new DisruptionSpec(true, null), List.of(old), NOW);

        assertThat(stored("old").getMetadata().getLabels()).containsEntry(FleetLabels.DISRUPTION_PROTECTED, "true");
        assertThat(next).isEmpty();
    }

    @Test
    void aPodAlreadyReleasedIsNotDueAgain() {
        Pod released = new PodBuilder(jobPod("released", NOW.minus(Duration.ofHours(3))))
                .editMetadata()
                .removeFromLabels(FleetLabels.DISRUPTION_PROTECTED)
                .endMetadata()
                .build();

        assertThat(JobPodRelease.releaseAt(released, Duration.ofHours(2))).isEmpty();
    }
}
