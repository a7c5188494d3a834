package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.JobPodFootprint;
import io.runnerfleet.diagnostics.PlaceholderJob;
import io.runnerfleet.validation.FleetLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobPodFootprintsTest {
    @Test
    void aFleetsJobPodTakesBuildPlusHelperAndGoesWhereTheExecutorSays() {
        RunnerFleet fleet = new FleetLoader()
                .load(Path.of("src/test/resources/fleets/warm-capacity-fleet.yaml"))
                .get(0);

        JobPodFootprint footprint = JobPodFootprints.of(PlaceholderJob.pod(fleet));

        // build 1 + 2Gi, helper 250m + 256Mi; prepare (the helper's requests) runs before them, alone.
        assertThat(footprint.requests())
                .containsOnly(Map.entry("cpu", new Quantity("1250m")), Map.entry("memory", new Quantity("2304Mi")));
        assertThat(footprint.nodeSelector()).containsOnly(Map.entry("pool", "ci"));
        assertThat(footprint.tolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("ci"));
    }

    @Test
    void sidecarsAddUpAndAnInitContainerCountsOnlyWhenLarger() {
        PodSpec spec = new PodSpecBuilder()
                .withInitContainers(
                        container("prepare", "3", "100Mi", null),
                        container("postgres", "500m", "512Mi", "Always"),
                        container("late-init", "200m", "2Gi", null))
                .withContainers(container("build", "1", "1Gi", null), container("helper", "100m", "64Mi", null))
                .build();

        // cpu: prepare alone (3) beats sidecar + build + helper (1.6); memory: late-init after the sidecar
        // (2Gi + 512Mi) beats the rest (1600Mi).
        assertThat(JobPodFootprints.requests(spec))
                .containsOnly(Map.entry("cpu", new Quantity("3000m")), Map.entry("memory", new Quantity("2560Mi")));
    }

    @Test
    void aLimitWithoutARequestCountsAsTheRequest() {
        Container limited = new ContainerBuilder()
                .withName("build")
                .withNewResources()
                .addToLimits("memory", new Quantity("1000000"))
                .endResources()
                .build();
        assertThat(JobPodFootprints.requests(
                        new PodSpecBuilder().withContainers(limited).build()))
                .containsOnly(Map.entry("memory", new Quantity("1000000")));
    }

    private static Container container(String name, String cpu, String memory, String restartPolicy) {
        return new ContainerBuilder()
                .withName(name)
                .withRestartPolicy(restartPolicy)
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity(memory))
                .endResources()
                .build();
    }
}
