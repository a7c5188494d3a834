package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Settings of the {@code [[runners]]} entry every manager of the fleet serves. */
public record RunnerSpec(
        @Size(max = 255)
        @JsonPropertyDescription("Runner description, shown in GitLab and as the `runner_name` metric label. "
                + "Defaults to the fleet's name.")
        String name,

        @Min(0)
        @Default("0")
        @JsonPropertyDescription("Jobs this runner entry runs at once per manager; 0 means only `concurrent` limits.")
        Integer limit,

        @Min(1)
        @Default("1")
        @JsonPropertyDescription("Job requests one manager may have in flight at once (`request_concurrency`).")
        Integer requestConcurrency,

        @Min(1)
        @Default("4096")
        @JsonPropertyDescription(
                "Maximum job log size in KiB (`output_limit`); the trace stops there with " + "GitLab's notice.")
        Integer outputLimit,

        @JsonPropertyDescription("Extra `KEY=value` variables given to every job (`environment`).")
        List<@Pattern(Patterns.ENV_ENTRY) String> environment,

        @JsonPropertyDescription("The shared cache (`[runners.cache]`). Without it, each Job Pod restores and saves "
                + "its cache in `/cache`, an emptyDir unless `spec.executor.volumes` mounts a volume there.")
        CacheSpec cache) {

    public RunnerSpec {
        limit = limit == null ? 0 : limit;
        requestConcurrency = requestConcurrency == null ? 1 : requestConcurrency;
        outputLimit = outputLimit == null ? 4096 : outputLimit;
        environment = environment == null ? List.of() : List.copyOf(environment);
    }

    public static RunnerSpec defaults() {
        return new RunnerSpec(null, null, null, null, null, null);
    }
}
