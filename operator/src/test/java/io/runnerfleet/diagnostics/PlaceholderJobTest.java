package io.runnerfleet.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.Fleets;
import org.junit.jupiter.api.Test;

class PlaceholderJobTest {

    /** A fleet whose jobs each name their image is judged, sized and explained like one with a default image. */
    @Test
    void aFleetWithoutADefaultImageHasAJobPodItsDiagnosticsAndSizingCanJudge() {
        RunnerFleet fleet = Fleets.with(Fleets.seed("ci"), "spec.executor.image", null);
        assertThat(fleet.getSpec().executor().image()).isNull();

        Pod pod = PlaceholderJob.pod(fleet);

        assertThat(pod.getSpec().getContainers())
                .filteredOn(c -> c.getName().equals("build"))
                .extracting(Container::getImage)
                .containsExactly(PlaceholderJob.JOBS_OWN_IMAGE);
        assertThat(FleetDiagnostics.of(fleet)).noneMatch(w -> w.startsWith("This job would not start"));
        assertThat(FleetDiagnostics.of(Fleets.seed("ci"))).isEqualTo(FleetDiagnostics.of(fleet));
    }
}
