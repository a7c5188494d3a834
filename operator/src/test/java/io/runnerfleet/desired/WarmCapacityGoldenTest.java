package io.runnerfleet.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.Golden;
import io.runnerfleet.validation.FleetLoader;
import io.runnerfleet.yaml.Yaml;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pause pods' ReplicaSet and the shared PriorityClass, as the operator and {@code render} build them. */
class WarmCapacityGoldenTest {
    private static final Path FLEET = Path.of("src/test/resources/fleets/warm-capacity-fleet.yaml");

    @Test
    void pausePodsCarryTheFootprintTheirPriorityAndTheirCount() {
        RunnerFleet fleet = new FleetLoader().load(FLEET).get(0);
        JobPodFootprint footprint = new JobPodFootprint(
                Map.of("cpu", new Quantity("1250m"), "memory", new Quantity("2304Mi")),
                Map.of("pool", "ci"),
                List.of(new TolerationBuilder()
                        .withKey("ci")
                        .withOperator("Exists")
                        .withEffect("NoSchedule")
                        .build()),
                null,
                null);
        WarmCapacityPlan plan = WarmCapacityPlan.of(
                fleet.getSpec().warmCapacity(), 6, Instant.parse("2026-12-07T09:30:00Z"), null, null);

        String yaml = "---\n" + Yaml.write(DesiredWarmCapacity.priorityClass()) + "---\n"
                + Yaml.write(DesiredWarmCapacity.replicaSet(fleet, footprint, plan));

        Golden.assertMatches("desired/warm-capacity.yaml", yaml);
        assertThat(plan.replicas()).as("max(2, ceil(6 x 0.5))").isEqualTo(3);
    }
}
