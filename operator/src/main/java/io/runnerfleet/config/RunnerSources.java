package io.runnerfleet.config;

/**
 * A {@code [[runners]]} entry's keys for sources and hooks, with gitlab-runner's names ({@code common/config.go}
 * {@code RunnerSettings}). Null means unset.
 *
 * @param cloneUrl             {@code clone_url}
 * @param customBuildDir       {@code [runners.custom_build_dir] enabled}; unset means the Kubernetes executor's
 *                             default, enabled
 * @param preGetSourcesScript  {@code pre_get_sources_script}
 * @param postGetSourcesScript {@code post_get_sources_script}
 * @param preBuildScript       {@code pre_build_script}
 * @param postBuildScript      {@code post_build_script}
 */
public record RunnerSources(
        String cloneUrl,
        Boolean customBuildDir,
        String preGetSourcesScript,
        String postGetSourcesScript,
        String preBuildScript,
        String postBuildScript) {

    public static final RunnerSources NONE = new RunnerSources(null, null, null, null, null, null);

    /** {@code custom_build_dir}, with gitlab-runner's Kubernetes default ({@code executors/kubernetes}). */
    public boolean customBuildDirEnabled() {
        return customBuildDir == null || customBuildDir;
    }
}
