package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobDependency;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code prepare} init container's script (helper image): sources, then cache, then dependency artifacts, in
 * gitlab-runner's stage order (restore_cache before download_artifacts, so artifacts win over stale cache). The
 * repository URL and job token come from the environment (the per-job Secret); everything else is quoted in.
 */
final class PrepareScript {
    static final String REPO_URL_ENV = "RUNNER_FLEET_REPO_URL";

    private PrepareScript() {}

    static String generate(
            GitSettings git,
            String projectDir,
            String publicRepoUrl,
            String serverUrl,
            CachePlan caches,
            List<JobDependency> dependencies) {
        ScriptText s = new ScriptText();
        s.line("set -eu");
        // Files must stay writable for the build container, which may run as another user.
        s.line("umask 0000");
        s.line("mkdir -p " + ShellQuote.quote(JobPaths.STATE_DIR));
        s.line("date +%s > " + ShellQuote.quote(JobPaths.JOB_STARTED_FILE) + " 2>/dev/null || :");
        s.line("export GIT_TERMINAL_PROMPT=0");
        git.warnings().forEach(w -> s.echo("WARNING: " + w));
        sources(s, git, projectDir, publicRepoUrl);
        s.line("cd " + ShellQuote.quote(projectDir));
        caches.writeRestore(s);
        for (JobDependency dependency : dependencies) {
            if (!dependency.hasArtifacts()) {
                continue;
            }
            s.echo("Downloading artifacts for " + dependency.name() + " (" + dependency.id() + ")...");
            s.command(
                    List.of(
                            "gitlab-runner-helper",
                            "artifacts-downloader",
                            "--url",
                            serverUrl,
                            "--id",
                            Long.toString(dependency.id())),
                    "");
        }
        return s.toString();
    }

    private static void sources(ScriptText s, GitSettings git, String projectDir, String publicRepoUrl) {
        String dir = ShellQuote.quote(projectDir);
        switch (git.strategy()) {
            case NONE -> {
                s.echo("Skipping Git repository setup (GIT_STRATEGY=none)");
                s.line("mkdir -p " + dir);
                return;
            }
            case CLONE -> {
                s.echo("Cloning repository " + publicRepoUrl + "...");
                s.line("rm -rf " + dir);
                s.line("mkdir -p " + dir);
                s.line("cd " + dir);
                s.line("git init -q");
                s.line("git remote add origin \"$" + REPO_URL_ENV + "\"");
            }
            case FETCH -> {
                s.echo("Fetching changes from " + publicRepoUrl + "...");
                s.line("mkdir -p " + dir);
                s.line("cd " + dir);
                s.line("if [ -d .git ]; then");
                s.line("  git remote set-url origin \"$" + REPO_URL_ENV + "\"");
                s.line("else");
                s.line("  git init -q");
                s.line("  git remote add origin \"$" + REPO_URL_ENV + "\"");
                s.line("fi");
            }
        }
        List<String> fetch = new ArrayList<>(List.of("git", "fetch", "--prune", "--quiet"));
        if (git.depth() > 0) {
            fetch.add("--depth");
            fetch.add(Integer.toString(git.depth()));
        }
        fetch.add("origin");
        fetch.addAll(git.refspecs());
        s.command(fetch, "");
        if (git.checkout()) {
            s.echo("Checking out " + git.sha() + "...");
            // LFS objects are pulled once below, not by the checkout's smudge filter.
            s.line("GIT_LFS_SKIP_SMUDGE=1 "
                    + ShellQuote.quoteAll(
                            List.of("git", "-c", "advice.detachedHead=false", "checkout", "-f", "-q", git.sha())));
            if (git.strategy() == GitSettings.Strategy.FETCH
                    && !git.cleanFlags().isEmpty()) {
                List<String> clean = new ArrayList<>(List.of("git", "clean"));
                clean.addAll(git.cleanFlags());
                s.command(clean, "");
            }
        } else {
            s.echo("Skipping Git checkout (GIT_CHECKOUT=false)");
        }
        switch (git.submodules()) {
            case NONE -> {}
            case NORMAL -> {
                s.echo("Updating submodules...");
                s.line("git submodule sync");
                s.line("git submodule update --init");
            }
            case RECURSIVE -> {
                s.echo("Updating submodules recursively...");
                s.line("git submodule sync --recursive");
                s.line("git submodule update --init --recursive");
            }
        }
        if (git.lfs() && git.checkout()) {
            s.line("if git lfs version >/dev/null 2>&1; then");
            s.line("  git lfs pull");
            s.line("fi");
        }
        // The token-bearing URL stays in the Secret, not in .git/config where the build's scripts can read it.
        s.command(List.of("git", "remote", "set-url", "origin", publicRepoUrl), "");
    }
}
