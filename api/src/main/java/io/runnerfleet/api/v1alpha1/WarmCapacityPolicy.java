package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** One of gitlab-runner's {@code [[runners.kubernetes.autoscaler.policy]]} ({@code autoscaler/policy.go}). */
public record WarmCapacityPolicy(
        @JsonPropertyDescription(
                "Cron expressions (minute hour day-of-month month day-of-week, names such as `mon-fri` "
                        + "allowed) of the minutes this policy is active in; unset: always, as `* * * * *`.")
        List<String> periods,

        @JsonPropertyDescription("The IANA time zone the periods are read in, such as `Europe/Berlin`. Default "
                + "`UTC` (gitlab-runner uses its host's local time, which an operator pod does not have).")
        String timezone,

        @Min(0) @JsonPropertyDescription("Pause pods to keep while this policy applies. Default 0.")
        Integer idleCount,

        @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("How long fewer pause pods must be wanted before they are removed (a scale-down "
                + "cooldown; scaling up is at once). A duration such as `10m`; default `5m`, as gitlab-runner.")
        String idleTime,

        @Min(0)
        @JsonPropertyDescription("Pause pods per running job of the fleet: the pods kept are "
                + "max(idleCount, ceil(runningJobs x scaleFactor)). Default 0 (off).")
        Double scaleFactor,

        @Min(0) @JsonPropertyDescription("At most this many pause pods from scaleFactor; 0 or unset: no limit.")
        Integer scaleFactorLimit) {

    /** gitlab-runner's DefaultPolicy idle time ({@code autoscaler/policy.go}). */
    public static final String DEFAULT_IDLE_TIME = "5m";

    public static final String ALWAYS = "* * * * *";

    public WarmCapacityPolicy {
        periods = periods == null ? List.of() : List.copyOf(periods);
    }

    public List<String> effectivePeriods() {
        return periods.isEmpty() ? List.of(ALWAYS) : periods;
    }

    public String effectiveTimezone() {
        return timezone == null || timezone.isBlank() ? "UTC" : timezone;
    }

    public int idle() {
        return idleCount == null ? 0 : idleCount;
    }

    public String effectiveIdleTime() {
        return idleTime == null ? DEFAULT_IDLE_TIME : idleTime;
    }

    public double factor() {
        return scaleFactor == null ? 0 : scaleFactor;
    }

    public int factorLimit() {
        return scaleFactorLimit == null ? 0 : scaleFactorLimit;
    }
}
