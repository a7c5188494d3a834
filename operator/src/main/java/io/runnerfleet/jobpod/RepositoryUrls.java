package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobPayload;
import java.util.Optional;

/** The repository URL without its credentials, and the GitLab URL the helper talks to. */
final class RepositoryUrls {
    private RepositoryUrls() {}

    /** {@code https://gitlab-ci-token:TOKEN@host/p.git} becomes {@code https://host/p.git}: safe to print. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
    }

    /**
     * Where the helper's artifact downloads and uploads go: the runner's {@code url}, what the manager reaches
     * GitLab with, as gitlab-runner passes {@code Build.Runner.URL} ({@code shells/abstract.go}). Without one (a
     * render of a job without a fleet URL), {@code CI_SERVER_URL} when the job sends it (public), else the scheme and
     * host of the repository URL.
     */
    static String serverUrl(String runnerUrl, JobPayload job, JobVariables variables) {
        if (runnerUrl != null && !runnerUrl.isBlank()) {
            return runnerUrl;
        }
        Optional<String> fromJob = variables.value("CI_SERVER_URL").filter(v -> !variables.isSecret("CI_SERVER_URL"));
        if (fromJob.isPresent() && !fromJob.get().isBlank()) {
            return fromJob.get();
        }
        String url = withoutCredentials(job.gitInfo().repoUrl());
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int path = url.indexOf('/', scheme + 3);
        return path < 0 ? url : url.substring(0, path);
    }
}
