package io.runnerfleet.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.WarmCapacityPolicy;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** gitlab-runner's policy rules (autoscaler/policy_test.go, pause_pod_manager_test.go) on a fixed clock. */
class WarmCapacityPlanTest {
    /** Monday 2024-01-15 10:00:30 UTC. */
    private static final Instant MONDAY_MORNING = Instant.parse("2024-01-15T10:00:30Z");

    private static final Instant SATURDAY = Instant.parse("2024-01-20T10:00:30Z");

    private static WarmCapacityPolicy policy(List<String> periods, String zone, int idle) {
        return new WarmCapacityPolicy(periods, zone, idle, null, null, null);
    }

    private static WarmCapacitySpec spec(WarmCapacityPolicy... policies) {
        return new WarmCapacitySpec(List.of(policies), null, null, null);
    }

    @Test
    void theLastActivePolicyApplies() {
        WarmCapacitySpec spec =
                spec(policy(List.of("* 8-17 * * mon-fri"), "UTC", 5), policy(List.of("* * * * sat,sun"), "UTC", 1));

        WarmCapacityPlan weekday = WarmCapacityPlan.of(spec, 0, MONDAY_MORNING, null, null);
        assertThat(weekday.replicas()).isEqualTo(5);
        assertThat(weekday.policy()).isEqualTo("policies[0]");

        WarmCapacityPlan weekend = WarmCapacityPlan.of(spec, 0, SATURDAY, null, null);
        assertThat(weekend.replicas()).isEqualTo(1);
        assertThat(weekend.policy()).isEqualTo("policies[1]");

        // gitlab-runner's docs' example: a catch-all written last wins over the business hours before it.
        WarmCapacitySpec catchAllLast =
                spec(policy(List.of("* 8-17 * * mon-fri"), "UTC", 5), policy(List.of("* * * * *"), "UTC", 0));
        assertThat(WarmCapacityPlan.of(catchAllLast, 0, MONDAY_MORNING, null, null))
                .extracting(WarmCapacityPlan::replicas, WarmCapacityPlan::policy)
                .containsExactly(0, "policies[1]");
    }

    @Test
    void noActivePolicyMeansNoPausePod() {
        WarmCapacitySpec spec = spec(policy(List.of("* 8-17 * * mon-fri"), "UTC", 5));
        WarmCapacityPlan plan = WarmCapacityPlan.of(spec, 3, SATURDAY, null, null);
        assertThat(plan.replicas()).isZero();
        assertThat(plan.policy()).isEqualTo(WarmCapacityPlan.NO_POLICY);
        assertThat(plan.recheckAt()).isEqualTo(Instant.parse("2024-01-20T10:01:00Z"));
    }

    @Test
    void periodsAreReadInTheirTimeZone() {
        // 10:00 UTC is 19:00 in Tokyo: outside its business hours.
        WarmCapacitySpec tokyo = spec(policy(List.of("* 8-17 * * mon-fri"), "Asia/Tokyo", 5));
        assertThat(WarmCapacityPlan.of(tokyo, 0, MONDAY_MORNING, null, null).replicas())
                .isZero();
        WarmCapacitySpec newYork = spec(policy(List.of("* 5 * * mon-fri"), "America/New_York", 2));
        assertThat(WarmCapacityPlan.of(newYork, 0, MONDAY_MORNING, null, null).replicas())
                .isEqualTo(2);
    }

    @Test
    void scaleFactorFollowsRunningJobsUpToItsLimitAndMaxPausePods() {
        WarmCapacityPolicy half = new WarmCapacityPolicy(List.of(), null, 2, null, 0.5, null);
        assertThat(WarmCapacityPlan.wanted(half, 0, 0)).isEqualTo(2);
        assertThat(WarmCapacityPlan.wanted(half, 3, 0)).as("max(2, ceil(1.5))").isEqualTo(2);
        assertThat(WarmCapacityPlan.wanted(half, 7, 0)).as("ceil(3.5)").isEqualTo(4);
        WarmCapacityPolicy limited = new WarmCapacityPolicy(List.of(), null, 2, null, 0.5, 4);
        assertThat(WarmCapacityPlan.wanted(limited, 20, 0)).isEqualTo(4);
        assertThat(WarmCapacityPlan.wanted(half, 20, 3)).as("max_pause_pods").isEqualTo(3);
        // Without periods the answer never changes by the clock alone.
        assertThat(WarmCapacityPlan.of(
                                new WarmCapacitySpec(List.of(half), null, null, null), 7, MONDAY_MORNING, null, null)
                        .recheckAt())
                .isNull();
    }

    @Test
    void moreAtOnceFewerOnlyAfterIdleTime() {
        WarmCapacitySpec spec = new WarmCapacitySpec(
                List.of(new WarmCapacityPolicy(List.of(), null, 1, "10m", 1.0, null)), null, null, null);
        WarmCapacityPlan up = WarmCapacityPlan.of(spec, 4, MONDAY_MORNING, 1, null);
        assertThat(up.replicas()).isEqualTo(4);
        assertThat(up.lowerSince()).isNull();

        WarmCapacityPlan held = WarmCapacityPlan.of(spec, 0, MONDAY_MORNING, 4, null);
        assertThat(held.replicas()).isEqualTo(4);
        assertThat(held.wanted()).isEqualTo(1);
        assertThat(held.lowerSince()).isEqualTo(MONDAY_MORNING);
        assertThat(held.recheckAt()).isEqualTo(MONDAY_MORNING.plus(Duration.ofMinutes(10)));

        Instant later = MONDAY_MORNING.plus(Duration.ofMinutes(9));
        assertThat(WarmCapacityPlan.of(spec, 0, later, 4, held.lowerSince()).replicas())
                .isEqualTo(4);
        WarmCapacityPlan down =
                WarmCapacityPlan.of(spec, 0, MONDAY_MORNING.plus(Duration.ofMinutes(10)), 4, held.lowerSince());
        assertThat(down.replicas()).isEqualTo(1);
        assertThat(down.lowerSince()).isNull();

        // Wanting as many as are held again ends the cooldown: a later drop waits the whole idleTime anew.
        assertThat(WarmCapacityPlan.of(spec, 4, later, 4, held.lowerSince()).lowerSince())
                .isNull();
    }
}
