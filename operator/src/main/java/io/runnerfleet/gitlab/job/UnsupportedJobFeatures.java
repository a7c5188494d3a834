package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job asks for that runner-fleet does not do, in words for the job's trace. A job with any of these fails
 * before its pod exists, instead of running without them and reporting a success it did not earn.
 *
 * <p>gitlab-runner refuses a job the same way for the payload problems it knows ({@code commands/multi.go}: {@code
 * jobData.UnsupportedOptions()} and {@code ValidateStepsJobRequest}, the error written to the trace, then the job
 * failed before {@code state=running}). Beyond those, it resolves {@code secrets}, runs {@code run:} steps, interpolates
 * {@code inputs}; this runner does none of them (it runs the job's {@code hooks}, see jobpod.PrepareScript) and does not advertise {@code vault_secrets},
 * {@code native_steps_integration} or {@code job_inputs} (gitlab.client.RunnerInfo), so a GitLab that honours
 * features never sends such jobs here; this check is for the one that does.
 */
public final class UnsupportedJobFeatures {
    private UnsupportedJobFeatures() {}

    /** One line per thing the job needs and this runner lacks; empty when the job can run. Never quotes a value. */
    public static List<String> of(JobPayload job) {
        List<String> missing = new ArrayList<>();
        if (!job.secrets().isEmpty()) {
            missing.add("the job's `secrets:` (" + String.join(", ", names(job.secrets()))
                    + ") need an external secrets provider (Vault, GCP, Azure, AWS, GitLab); runner-fleet resolves none"
                    + " and does not advertise vault_secrets: use CI/CD variables, or a gitlab-runner for this job");
        }
        if (!job.run().isEmpty()) {
            missing.add("the job uses the `run:` keyword (GitLab Steps); runner-fleet runs `script:` only and does"
                    + " not advertise native_steps_integration: write the job with `script:`");
        }
        if (!job.inputs().isEmpty()) {
            missing.add("the job has `inputs:` (" + String.join(", ", inputKeys(job.inputs()))
                    + "); runner-fleet does not interpolate ${{ job.inputs.* }} and does not advertise job_inputs");
        }
        List<String> unknownHooks = job.hooks().stream()
                .map(JobHook::name)
                .filter(n -> !JobHook.PRE_GET_SOURCES_SCRIPT.equals(n) && !JobHook.POST_GET_SOURCES_SCRIPT.equals(n))
                .map(n -> n == null ? "?" : n)
                .toList();
        if (!unknownHooks.isEmpty()) {
            missing.add("the job has `hooks:` runner-fleet does not know (" + String.join(", ", unknownHooks)
                    + "); it runs pre_get_sources_script and post_get_sources_script only");
        }
        job.imageIfNamed().ifPresent(i -> missing.addAll(i.executorOpts().unsupported()));
        job.services().forEach(s -> missing.addAll(s.executorOpts().unsupported()));
        return List.copyOf(missing);
    }

    /** The secrets' variable names (the keys of {@code secrets}), which are names, never values. */
    private static List<String> names(JsonNode secrets) {
        List<String> names = new ArrayList<>();
        secrets.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? List.of("?") : names;
    }

    private static List<String> inputKeys(JsonNode inputs) {
        List<String> keys = new ArrayList<>();
        inputs.forEach(i -> keys.add(i.path("key").asText("?")));
        return keys.isEmpty() ? List.of("?") : keys;
    }
}
