package io.runnerfleet.validation;

import io.runnerfleet.api.v1alpha1.WarmCapacityPolicy;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.base.CronPeriod;
import io.runnerfleet.base.FieldProblem;
import java.util.List;

/**
 * What the schema cannot say of {@code spec.warmCapacity}: periods that are cron expressions and time zones that
 * exist (gitlab-runner refuses such a policy when its pause pod manager starts, {@code autoscaler/policy.go}
 * {@code Parse}; a fleet says so before anything is created).
 */
final class WarmCapacitySemantics {
    private static final String PATH = "spec.warmCapacity";

    private WarmCapacitySemantics() {}

    static void check(WarmCapacitySpec spec, List<FieldProblem> problems) {
        if (spec == null) {
            return;
        }
        if (spec.policies().isEmpty()) {
            problems.add(new FieldProblem(
                    PATH + ".policies",
                    "names no policy, so no pause pod would ever run; add one such as {idleCount: 1}, or remove "
                            + PATH));
        }
        for (int i = 0; i < spec.policies().size(); i++) {
            check(spec.policies().get(i), PATH + ".policies[" + i + "]", problems);
        }
    }

    private static void check(WarmCapacityPolicy policy, String path, List<FieldProblem> problems) {
        List<String> periods = policy.effectivePeriods();
        for (int j = 0; j < periods.size(); j++) {
            String periodPath = policy.periods().isEmpty() ? path + ".timezone" : path + ".periods[" + j + "]";
            try {
                CronPeriod.parse(periods.get(j), policy.effectiveTimezone());
            } catch (IllegalArgumentException e) {
                boolean zone = e.getMessage().startsWith("unknown time zone");
                problems.add(new FieldProblem(zone ? path + ".timezone" : periodPath, e.getMessage()));
                if (zone) {
                    return;
                }
            }
        }
        if (policy.scaleFactor() != null
                && (policy.scaleFactor().isNaN() || policy.scaleFactor().isInfinite())) {
            problems.add(new FieldProblem(path + ".scaleFactor", "must be a finite number such as 0.5"));
        }
    }
}
