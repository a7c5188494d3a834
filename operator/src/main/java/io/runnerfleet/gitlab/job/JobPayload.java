package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Optional;

/**
 * A job as {@code POST /api/v4/jobs/request} returns it (gitlab-runner's {@code spec.Job}). Field names follow the
 * wire format; fields this project does not use yet are ignored on reading. {@code secrets}, {@code run},
 * {@code inputs} are kept as JSON only to be refused ({@link UnsupportedJobFeatures}): this runner
 * does not do them, and a job that needs them must fail rather than run without them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobPayload(
        @JsonProperty(value = "id", required = true) long id,
        @JsonProperty(value = "token", required = true) String token,
        @JsonProperty("allow_git_fetch") boolean allowGitFetch,
        @JsonProperty(value = "job_info", required = true) JobInfo jobInfo,
        @JsonProperty(value = "git_info", required = true) GitInfo gitInfo,
        @JsonProperty("runner_info") RunnerInfo runnerInfo,
        @JsonProperty("variables") List<JobVariable> variables,
        @JsonProperty(value = "steps", required = true) List<JobStep> steps,
        @JsonProperty("image") JobImage image,
        @JsonProperty("services") List<JobImage> services,
        @JsonProperty("artifacts") List<JobArtifact> artifacts,
        @JsonProperty("cache") List<JobCache> cache,
        @JsonProperty("dependencies") List<JobDependency> dependencies,
        @JsonProperty("features") JobFeatures features,
        @JsonProperty("credentials") List<JobCredentials> credentials,
        @JsonProperty("secrets") JsonNode secrets,
        @JsonProperty("run") JsonNode run,
        @JsonProperty("inputs") JsonNode inputs,
        @JsonProperty("hooks") List<JobHook> hooks) {

    /** GitLab's default when {@code runner_info.timeout} is missing or not positive. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 7200;

    public JobPayload {
        runnerInfo = runnerInfo == null ? new RunnerInfo(null, 0) : runnerInfo;
        variables = variables == null ? List.of() : List.copyOf(variables);
        steps = List.copyOf(steps);
        services = services == null ? List.of() : List.copyOf(services);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        cache = cache == null ? List.of() : List.copyOf(cache);
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        secrets = orMissing(secrets);
        run = orMissing(run);
        inputs = orMissing(inputs);
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }

    /** Null and JSON null both become a missing node, so callers ask {@code isEmpty()} only. */
    private static JsonNode orMissing(JsonNode node) {
        return node == null || node.isNull() ? MissingNode.getInstance() : node;
    }

    /** The commands of the hook named {@code name}, as gitlab-runner's {@code Hooks.Get}: the first one named so. */
    public List<String> hook(String name) {
        return hooks.stream()
                .filter(h -> name.equals(h.name()))
                .findFirst()
                .map(JobHook::script)
                .orElse(List.of());
    }

    public int timeoutSeconds() {
        return runnerInfo.timeout() > 0 ? runnerInfo.timeout() : DEFAULT_TIMEOUT_SECONDS;
    }

    public Optional<JobImage> imageIfNamed() {
        return image == null || image.name() == null || image.name().isBlank() ? Optional.empty() : Optional.of(image);
    }

    /** The value of the last variable named {@code key}: later definitions win, as in gitlab-runner. */
    public Optional<String> variable(String key) {
        String value = null;
        for (JobVariable variable : variables) {
            if (variable.key().equals(key)) {
                value = variable.value();
            }
        }
        return Optional.ofNullable(value);
    }

    /** The step named {@code name} ({@code script}, {@code after_script}, ...), if the job has one. */
    public Optional<JobStep> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        // Records print every component; this one holds the job token.
        return "JobPayload[id=" + id + ", name=" + jobInfo.name() + "]";
    }
}
