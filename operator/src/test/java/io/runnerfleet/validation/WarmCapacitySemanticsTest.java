package io.runnerfleet.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.testing.Fleets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmCapacitySemanticsTest {
    private static List<FieldProblem> problems(Object warmCapacity) {
        RunnerFleet fleet = Fleets.with(Fleets.seed("gitlab"), "spec.warmCapacity", warmCapacity);
        return FleetSemantics.check(fleet);
    }

    @Test
    void badPeriodsAndTimeZonesAreNamedByTheirField() {
        List<FieldProblem> problems = problems(Map.of(
                "policies",
                List.of(
                        Map.of("periods", List.of("* 8-17 * * mon-fri", "* 25 * * *"), "idleCount", 1),
                        Map.of("timezone", "Europe/Atlantis", "idleCount", 1))));

        assertThat(problems)
                .containsExactly(
                        new FieldProblem("spec.warmCapacity.policies[0].periods[1]", "hour 25 is outside 0-23"),
                        new FieldProblem(
                                "spec.warmCapacity.policies[1].timezone",
                                "unknown time zone \"Europe/Atlantis\"; use an IANA name such as UTC or "
                                        + "Europe/Berlin"));
    }

    @Test
    void aWarmCapacityWithoutPoliciesSaysHowToFixIt() {
        assertThat(problems(Map.of("policies", List.of()))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("spec.warmCapacity.policies");
            assertThat(p.message()).contains("add one such as {idleCount: 1}, or remove spec.warmCapacity");
        });
        assertThat(problems(Map.of("policies", List.of(Map.of("idleCount", 2)))))
                .isEmpty();
    }
}
