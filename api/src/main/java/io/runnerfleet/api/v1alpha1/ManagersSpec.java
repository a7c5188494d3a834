package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import java.util.Map;

/** The runner-manager pods: how many, how many jobs each, and where they run. */
public record ManagersSpec(
        @Min(0)
        @Default("1")
        @JsonPropertyDescription("Number of manager pods. Fleet capacity is `replicas` x `concurrent`. 0 stops "
                + "picking up jobs; Job Pods already running keep running.")
        Integer replicas,

        @Min(1)
        @Max(1000)
        @Default("10")
        @JsonPropertyDescription("Jobs one manager runs at once (gitlab-runner's global `concurrent`).")
        Integer concurrent,

        @Pattern(Patterns.DURATION)
        @Default("3s")
        @JsonPropertyDescription("Pause between job requests that found no job (gitlab-runner's `check_interval`), "
                + "as a duration such as `3s`. Rounded up to whole seconds in `config.toml`.")
        String checkInterval,

        @JsonPropertyDescription("Manager container image. Defaults to the operator's own image.")
        String image,

        @JsonPropertyDescription("Resource limits and requests of the manager container.")
        ManagerResources resources,

        @JsonPropertyDescription("Node labels a node must carry to run a manager pod.")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Tolerations of the manager pods.")
        List<Toleration> tolerations,

        @Pattern(Patterns.DURATION)
        @Default("30s")
        @JsonPropertyDescription("How long a stopping manager may take to hand over (gitlab-runner's "
                + "`shutdown_timeout`). Job Pods keep running and are adopted by another manager.")
        String shutdownTimeout) {

    public static final int DEFAULT_REPLICAS = 1;
    public static final int DEFAULT_CONCURRENT = 10;

    public ManagersSpec {
        replicas = replicas == null ? DEFAULT_REPLICAS : replicas;
        concurrent = concurrent == null ? DEFAULT_CONCURRENT : concurrent;
        checkInterval = checkInterval == null ? "3s" : checkInterval;
        resources = resources == null ? ManagerResources.defaults() : resources;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        shutdownTimeout = shutdownTimeout == null ? "30s" : shutdownTimeout;
    }

    public static ManagersSpec defaults() {
        return new ManagersSpec(null, null, null, null, null, null, null, null);
    }
}
