package io.runnerfleet.desired;

import io.runnerfleet.api.v1alpha1.WarmCapacityPolicy;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.base.CronPeriod;
import io.runnerfleet.base.GoDurations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How many pause pods a fleet keeps now, by gitlab-runner's rules ({@code executors/kubernetes/autoscaler/}):
 * <ul>
 *   <li>Of the policies whose periods contain this minute the last one applies ({@code policy.go},
 *       {@code PolicyList.Active}); none: gitlab-runner's {@code DefaultPolicy}, 0 pods.</li>
 *   <li>Its count is {@code max(idleCount, ceil(runningJobs x scaleFactor))}, the scaled part capped by
 *       {@code scaleFactorLimit}, all capped by {@code maxPausePods} ({@code pause_pod_manager.go},
 *       {@code calculateDesiredReplicas}); the running jobs are the whole fleet's, not one process's.</li>
 *   <li>More pods are kept at once; fewer only once fewer were wanted for the policy's {@code idleTime}
 *       ({@code applyScaleDownCooldown}). gitlab-runner measures that from its last look, every 10 s; the operator
 *       looks only on events, so it counts from when fewer were first wanted ({@code lowerSince}, kept on the
 *       ReplicaSet), which is what the 10 s ticks amount to.</li>
 * </ul>
 *
 * @param replicas the pause pods to keep now
 * @param wanted what the policy asks for now, before the cooldown
 * @param policy {@code policies[i]} or {@code none}
 * @param lowerSince since when fewer than {@code replicas} are wanted; null when not
 * @param recheckAt when the answer may change by the clock alone (the next minute, the cooldown's end); null: never
 */
public record WarmCapacityPlan(int replicas, int wanted, String policy, Instant lowerSince, Instant recheckAt) {
    public static final String NO_POLICY = "none";

    /**
     * @param held the pause pods kept until now (the ReplicaSet's replicas); null when there is none yet
     * @param lowerSince since when fewer than {@code held} were wanted, as the previous plan said
     */
    public static WarmCapacityPlan of(
            WarmCapacitySpec spec, int runningJobs, Instant now, Integer held, Instant lowerSince) {
        int active = activePolicy(spec.policies(), now);
        WarmCapacityPolicy policy = active < 0 ? null : spec.policies().get(active);
        int wanted = policy == null ? 0 : wanted(policy, runningJobs, spec.maxPods());
        Duration idleTime =
                GoDurations.parse(policy == null ? WarmCapacityPolicy.DEFAULT_IDLE_TIME : policy.effectiveIdleTime());
        String name = active < 0 ? NO_POLICY : "policies[" + active + "]";
        Instant nextMinute = spec.policies().stream().allMatch(p -> p.periods().isEmpty())
                ? null
                : now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        if (held == null || wanted >= held) {
            return new WarmCapacityPlan(wanted, wanted, name, null, nextMinute);
        }
        Instant since = lowerSince == null ? now : lowerSince;
        Instant cooldownEnds = since.plus(idleTime);
        if (!now.isBefore(cooldownEnds)) {
            return new WarmCapacityPlan(wanted, wanted, name, null, nextMinute);
        }
        return new WarmCapacityPlan(held, wanted, name, since, earliest(nextMinute, cooldownEnds));
    }

    /** The index of the policy that applies at {@code now}: the last active one, -1 when none is. */
    public static int activePolicy(List<WarmCapacityPolicy> policies, Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        for (int i = policies.size() - 1; i >= 0; i--) {
            WarmCapacityPolicy p = policies.get(i);
            for (String period : p.effectivePeriods()) {
                if (CronPeriod.parse(period, p.effectiveTimezone()).contains(t)) {
                    return i;
                }
            }
        }
        return -1;
    }

    static int wanted(WarmCapacityPolicy policy, int runningJobs, int maxPods) {
        int wanted = policy.idle();
        if (policy.factor() > 0) {
            int scaled = (int) Math.ceil(policy.factor() * runningJobs);
            if (policy.factorLimit() > 0) {
                scaled = Math.min(scaled, policy.factorLimit());
            }
            wanted = Math.max(wanted, scaled);
        }
        return maxPods > 0 ? Math.min(wanted, maxPods) : wanted;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
