package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

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

        @Min(1)
        @JsonPropertyDescription("Unhealthy job requests in a row (403, no answer, a timeout) after which a manager "
                + "asks for no job for `unhealthyInterval` (`unhealthy_requests_limit`). Unset: gitlab-runner's "
                + "default, 3.")
        Integer unhealthyRequestsLimit,

        @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("How long a manager asks for no job once `unhealthyRequestsLimit` is reached, as a "
                + "duration such as `1h` (`unhealthy_interval`, rounded up to whole seconds). Unset: gitlab-runner's "
                + "default, 1h.")
        String unhealthyInterval,

        // At runner level, as gitlab-runner's [runners.feature_flags] (RunnerSettings, not [runners.kubernetes]):
        // flags change the manager's own work (the trace) as well as the Job Pod.
        @JsonPropertyDescription("gitlab-runner feature flags (`[runners.feature_flags]`), e.g. `FF_TIMESTAMPS: "
                + "false`. They win over a job's `FF_*` variables, as in gitlab-runner, and every known flag reaches "
                + "the job as a variable. A name gitlab-runner does not know changes nothing; the managers log it.")
        Map<@Pattern("^FF_[A-Z0-9_]+$") String, Boolean> featureFlags,

        @Pattern(Patterns.HTTP_URL)
        @JsonPropertyDescription("Fetch sources from `<cloneUrl>/<project path>.git` instead of the repository URL "
                + "GitLab sends (`clone_url`), e.g. when GitLab's own URL is not reachable from the Job Pods.")
        String cloneUrl,

        @Default("true")
        @JsonPropertyDescription("Whether a job may choose where its sources go with `GIT_CLONE_PATH` (inside "
                + "`/builds`); `[runners.custom_build_dir] enabled`. On by default, as for gitlab-runner's "
                + "Kubernetes executor.")
        Boolean customBuildDir,

        @JsonPropertyDescription("Shell commands run in the `prepare` container before the sources are fetched "
                + "(`pre_get_sources_script`), before the job's own `hooks:pre_get_sources_script`.")
        String preGetSourcesScript,

        @JsonPropertyDescription("Shell commands run in the `prepare` container in the project directory after the "
                + "sources and submodules are fetched (`post_get_sources_script`).")
        String postGetSourcesScript,

        @JsonPropertyDescription("Shell commands run in the `build` container before the job's `script`, in the "
                + "same shell (`pre_build_script`).")
        String preBuildScript,

        @JsonPropertyDescription("Shell commands run in the `build` container after the job's `script` succeeded, "
                + "in the same shell (`post_build_script`).")
        String postBuildScript,

        @JsonPropertyDescription("The shared cache (`[runners.cache]`). Without it, each Job Pod restores and saves "
                + "its cache in `/cache`, an emptyDir unless `spec.executor.volumes` mounts a volume there.")
        CacheSpec cache) {

    public RunnerSpec {
        limit = limit == null ? 0 : limit;
        requestConcurrency = requestConcurrency == null ? 1 : requestConcurrency;
        outputLimit = outputLimit == null ? 4096 : outputLimit;
        environment = environment == null ? List.of() : List.copyOf(environment);
        featureFlags = featureFlags == null ? Map.of() : Map.copyOf(featureFlags);
        customBuildDir = customBuildDir == null ? Boolean.TRUE : customBuildDir;
    }

    /** The first settings only; the later ones (unhealthy requests, feature flags, sources, hooks, cache) stay unset. */
    public RunnerSpec(
            String name, Integer limit, Integer requestConcurrency, Integer outputLimit, List<String> environment) {
        this(
                name,
                limit,
                requestConcurrency,
                outputLimit,
                environment,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public static RunnerSpec defaults() {
        return new RunnerSpec(null, null, null, null, null);
    }
}
