package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * Idle capacity kept warm with pause pods, as gitlab-runner's {@code [runners.kubernetes.autoscaler]}
 * ({@code executors/kubernetes/autoscaler/pause_pod_manager.go}): pods of a negative priority, sized like the fleet's
 * Job Pod, which a Job Pod preempts. Here the operator keeps them, once per fleet, not each manager.
 */
public record WarmCapacitySpec(
        @Required
        @JsonPropertyDescription("The policies, as gitlab-runner's `[[runners.kubernetes.autoscaler.policy]]`: of "
                + "those whose periods contain the current minute, the last one applies; none: no pause pod.")
        List<WarmCapacityPolicy> policies,

        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @JsonPropertyDescription("An existing PriorityClass for the pause pods (gitlab-runner's "
                + "`pause_pod_priority_class_name`); its value must be below the Job Pods' priority (0 without a "
                + "class). Unset: the operator creates and uses the shared PriorityClass `runner-fleet-warm-capacity` "
                + "(value -1, `preemptionPolicy: Never`, not the global default).")
        String priorityClass,

        @JsonPropertyDescription("The pause pods' image (gitlab-runner's `pause_pod_image`). Default "
                + "`registry.k8s.io/pause:3.10`, as gitlab-runner.")
        String image,

        @Min(0)
        @JsonPropertyDescription("At most this many pause pods whatever the policy says (gitlab-runner's "
                + "`max_pause_pods`); 0 or unset: no limit.")
        Integer maxPausePods) {

    public static final String DEFAULT_IMAGE = "registry.k8s.io/pause:3.10";
    public static final String DEFAULT_PRIORITY_CLASS = "runner-fleet-warm-capacity";

    public WarmCapacitySpec {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public String effectiveImage() {
        return image == null || image.isBlank() ? DEFAULT_IMAGE : image;
    }

    public String effectivePriorityClass() {
        return priorityClass == null || priorityClass.isBlank() ? DEFAULT_PRIORITY_CLASS : priorityClass;
    }

    /** The operator creates the default PriorityClass; one the fleet names is the user's. */
    public boolean ownPriorityClass() {
        return priorityClass == null || priorityClass.isBlank();
    }

    public int maxPods() {
        return maxPausePods == null ? 0 : maxPausePods;
    }
}
