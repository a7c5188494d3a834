package io.runnerfleet.jobpod;

import io.runnerfleet.config.RunnerSources;
import io.runnerfleet.gitlab.job.JobHook;
import io.runnerfleet.gitlab.job.JobPayload;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands {@code prepare} runs around fetching the sources, in gitlab-runner's order
 * ({@code shells/abstract.go} {@code writeGetSourcesScript}): before, the runner's {@code pre_get_sources_script} then
 * the job's {@code hooks:pre_get_sources_script}; after, the job's {@code hooks:post_get_sources_script} then the
 * runner's {@code post_get_sources_script}. Neither runs with {@code GIT_STRATEGY} none or empty.
 */
record GetSourcesHooks(List<String> pre, List<String> post) {

    static GetSourcesHooks of(JobPayload job, RunnerSources runner) {
        List<String> pre = new ArrayList<>();
        addScript(pre, runner.preGetSourcesScript());
        pre.addAll(job.hook(JobHook.PRE_GET_SOURCES_SCRIPT));
        List<String> post = new ArrayList<>(job.hook(JobHook.POST_GET_SOURCES_SCRIPT));
        addScript(post, runner.postGetSourcesScript());
        return new GetSourcesHooks(List.copyOf(pre), List.copyOf(post));
    }

    /** A runner script is one string, possibly of several lines, run as one command as gitlab-runner does. */
    static void addScript(List<String> commands, String script) {
        if (script != null && !script.isBlank()) {
            commands.add(script);
        }
    }
}
