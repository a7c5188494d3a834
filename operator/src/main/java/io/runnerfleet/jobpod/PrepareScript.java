package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobDependency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code prepare} init container's script (helper image): sources, then cache, then dependency artifacts, in
 * gitlab-runner's stage order (restore_cache before download_artifacts, so artifacts win over stale cache). The
 * job token comes from the environment (the per-job Secret) and reaches git only through {@code url.*.insteadOf}
 * rewrites ({@link GitRemote}); everything else is quoted in. The sources part follows gitlab-runner's
 * {@code shells/abstract.go} {@code writeGetSourcesScript}.
 */
final class PrepareScript {
    private PrepareScript() {}

    static String generate(
            GitSettings git,
            GitRemote remote,
            GetSourcesHooks hooks,
            Set<String> tlsVariables,
            String projectDir,
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
        gitConfigFunction(s);
        tls(s, remote, tlsVariables);
        credentials(s, remote);
        boolean repository =
                git.strategy() != GitSettings.Strategy.NONE && git.strategy() != GitSettings.Strategy.EMPTY;
        if (repository && !hooks.pre().isEmpty()) {
            s.line("cd " + ShellQuote.quote(JobPaths.BUILDS_DIR));
            hook(s, "pre_get_sources_script", hooks.pre());
        }
        sources(s, git, remote, projectDir);
        if (repository) {
            hook(s, "post_get_sources_script", hooks.post());
        }
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

    private static void sources(ScriptText s, GitSettings git, GitRemote remote, String projectDir) {
        String dir = ShellQuote.quote(projectDir);
        switch (git.strategy()) {
            case NONE -> {
                s.echo("Skipping Git repository setup (GIT_STRATEGY=none)");
                s.line("mkdir -p " + dir);
                return;
            }
            case EMPTY -> {
                // shells/abstract.go handleGetSourcesStrategy: GitEmpty removes the directory and creates it anew.
                s.echo("Skipping Git repository setup and creating an empty build directory (GIT_STRATEGY=empty)");
                s.line("rm -rf " + dir);
                s.line("mkdir -p " + dir);
                return;
            }
            case CLONE -> {
                s.echo("Cloning repository " + remote.remote() + "...");
                s.line("rm -rf " + dir);
                s.line("mkdir -p " + dir);
                s.line("cd " + dir);
                s.command(init(git), "");
                s.command(List.of("git", "remote", "add", "origin", remote.remote()), "");
            }
            case FETCH -> {
                s.echo("Fetching changes from " + remote.remote() + "...");
                s.line("mkdir -p " + dir);
                s.line("cd " + dir);
                s.line("if [ -d .git ]; then");
                s.line("  " + ShellQuote.quoteAll(List.of("git", "remote", "set-url", "origin", remote.remote())));
                s.line("else");
                s.line("  " + ShellQuote.quoteAll(init(git)));
                s.line("  " + ShellQuote.quoteAll(List.of("git", "remote", "add", "origin", remote.remote())));
                s.line("fi");
            }
        }
        fetch(s, git);
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
        if (git.lfs() && git.checkout()) {
            s.line("if git lfs version >/dev/null 2>&1; then");
            s.line("  git lfs pull");
            s.line("fi");
        }
        if (git.submodules() != GitSettings.Submodules.NONE) {
            GitSubmodules.write(s, git);
        }
    }

    /**
     * A hook's commands, echoed and run in this shell as gitlab-runner's {@code writeCommands} runs them (so an
     * {@code export} reaches the git commands after it); the first failing command fails the job. Without
     * {@code set -u}, which guards only this script's own variables.
     */
    private static void hook(ScriptText s, String name, List<String> commands) {
        if (commands.isEmpty()) {
            return;
        }
        s.echo("Running " + name + "...");
        s.line("set +u");
        s.line("eval " + ShellQuote.quote(BuildScript.stageText(commands)));
        s.line("set -u");
    }

    /** {@code git init}, in the repository's object format when it is not git's default (SHA-256 repositories). */
    private static List<String> init(GitSettings git) {
        List<String> init = new ArrayList<>(List.of("git", "init", "-q"));
        if (!git.objectFormat().equals("sha1")) {
            init.add("--object-format=" + git.objectFormat());
        }
        return init;
    }

    /**
     * gitlab-runner's {@code writeRefspecFetchCmd}: {@code git fetch origin --no-recurse-submodules <refspecs>
     * [--depth N] <GIT_FETCH_EXTRA_FLAGS>}, with {@code --unshallow} when a full history is asked of a shallow
     * repository kept by {@code fetch}.
     */
    private static void fetch(ScriptText s, GitSettings git) {
        List<String> fetch = new ArrayList<>(List.of("git", "fetch", "origin", "--no-recurse-submodules"));
        fetch.addAll(git.refspecs());
        if (git.depth() > 0) {
            fetch.add("--depth");
            fetch.add(Integer.toString(git.depth()));
        }
        fetch.addAll(git.fetchFlags());
        if (git.depth() > 0) {
            s.command(fetch, "");
            return;
        }
        List<String> unshallow = new ArrayList<>(fetch);
        unshallow.add("--unshallow");
        s.line("if [ -f .git/shallow ]; then");
        s.line("  " + ShellQuote.quoteAll(unshallow));
        s.line("else");
        s.line("  " + ShellQuote.quoteAll(fetch));
        s.line("fi");
    }

    /**
     * Hands a setting to every git below through the environment ({@code GIT_CONFIG_COUNT}, git 2.31+): the job
     * token's rewrites live only in this container's memory, never in a file the build could read.
     */
    private static void gitConfigFunction(ScriptText s) {
        s.line("git_config() {");
        s.line("  n=${GIT_CONFIG_COUNT:-0}");
        s.line("  export \"GIT_CONFIG_KEY_$n=$1\" \"GIT_CONFIG_VALUE_$n=$2\"");
        s.line("  GIT_CONFIG_COUNT=$((n + 1))");
        s.line("  export GIT_CONFIG_COUNT");
        s.line("}");
    }

    /**
     * gitlab-runner's {@code writeGitSSLConfig}: {@code http.<scheme://host>.sslCAInfo} (and {@code sslCert},
     * {@code sslKey}) pointing at the {@code CI_SERVER_TLS_*_FILE} files, scoped to the remote's host.
     */
    private static void tls(ScriptText s, GitRemote remote, Set<String> tlsVariables) {
        String host = GitRemote.schemeAndHost(remote.remote());
        if (host == null) {
            return;
        }
        for (Map.Entry<String, String> setting : Map.of(
                        JobPodContext.CA_FILE_VARIABLE, "sslCAInfo",
                        JobPodContext.CERT_FILE_VARIABLE, "sslCert",
                        JobPodContext.KEY_FILE_VARIABLE, "sslKey")
                .entrySet()
                .stream()
                .sorted(Map.Entry.comparingByKey())
                .toList()) {
            if (tlsVariables.contains(setting.getKey())) {
                s.line("git_config " + ShellQuote.quote("http." + host + "." + setting.getValue()) + " \"$"
                        + setting.getKey() + "\"");
            }
        }
    }

    /** {@code url.<scheme>gitlab-ci-token:$CI_JOB_TOKEN@<rest>.insteadOf <original>}, the token from the env. */
    private static void credentials(ScriptText s, GitRemote remote) {
        for (GitRemote.InsteadOf rewrite : remote.insteadOfs()) {
            s.line("git_config "
                    + ShellQuote.quote("url." + rewrite.scheme() + GitRemote.TOKEN_USER + ":")
                    + "\"$" + JobPodBuilder.JOB_TOKEN_ENV + "\""
                    + ShellQuote.quote("@" + rewrite.rest() + ".insteadOf")
                    + " " + ShellQuote.quote(rewrite.original()));
        }
    }
}
