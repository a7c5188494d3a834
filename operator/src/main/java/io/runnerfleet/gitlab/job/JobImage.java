package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The job's {@code image} or one of its {@code services}. {@code alias} may hold several names separated by spaces or
 * commas; {@code variables} are only sent for services; {@code executor_opts} ({@link ImageExecutorOptions}) for both.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobImage(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("alias") String alias,
        @JsonProperty("entrypoint") List<String> entrypoint,
        @JsonProperty("command") List<String> command,
        @JsonProperty("pull_policy") List<String> pullPolicy,
        @JsonProperty("variables") List<JobVariable> variables,
        @JsonProperty("executor_opts") ImageExecutorOptions executorOpts) {

    public JobImage {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        command = command == null ? List.of() : List.copyOf(command);
        pullPolicy = pullPolicy == null ? List.of() : List.copyOf(pullPolicy);
        variables = variables == null ? List.of() : List.copyOf(variables);
        executorOpts = executorOpts == null ? ImageExecutorOptions.none() : executorOpts;
    }

    /** An image or service without {@code executor_opts}. */
    public JobImage(
            String name,
            String alias,
            List<String> entrypoint,
            List<String> command,
            List<String> pullPolicy,
            List<JobVariable> variables) {
        this(name, alias, entrypoint, command, pullPolicy, variables, null);
    }

    public static JobImage named(String name) {
        return new JobImage(name, null, null, null, null, null);
    }

    /** The aliases, split on spaces and commas as gitlab-runner does; empty entries dropped. */
    public List<String> aliases() {
        if (alias == null || alias.isBlank()) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        Arrays.stream(alias.split("[\\s,]+")).filter(a -> !a.isEmpty()).forEach(result::add);
        return List.copyOf(result);
    }
}
