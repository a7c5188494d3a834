package io.runnerfleet.jobpod;

import java.util.ArrayList;
import java.util.List;

/**
 * The submodule part of {@code prepare}, as gitlab-runner's {@code shells/abstract.go} {@code writeSubmoduleUpdateCmd}:
 * init, sync, clean and reset the submodules, update them (at {@code GIT_SUBMODULE_DEPTH}, with
 * {@code GIT_SUBMODULE_UPDATE_FLAGS}, limited to {@code GIT_SUBMODULE_PATHS}) and retry once after a sync when the
 * update fails, then clean again and pull their LFS objects. Credentials need nothing here: the job token's
 * {@code insteadOf} rewrites are in every git's environment ({@link GitRemote}).
 */
final class GitSubmodules {
    private GitSubmodules() {}

    static void write(ScriptText s, GitSettings git) {
        boolean recursive = git.submodules() == GitSettings.Submodules.RECURSIVE;
        int depth = git.submoduleDepth();
        s.echo("Updating/initializing submodules" + (recursive ? " recursively" : "")
                + (depth > 0 ? " with git depth set to " + depth : "") + "...");
        List<String> paths = new ArrayList<>();
        if (!git.submodulePaths().isEmpty()) {
            paths.add("--");
            paths.addAll(git.submodulePaths());
        }
        List<String> sync = new ArrayList<>(List.of("git", "submodule", "sync"));
        List<String> update = new ArrayList<>(List.of("git", "submodule", "update", "--init"));
        List<String> foreach = new ArrayList<>(List.of("git", "submodule", "foreach"));
        if (recursive) {
            sync.add("--recursive");
            update.add("--recursive");
            foreach.add("--recursive");
        }
        sync.addAll(paths);
        if (depth > 0) {
            update.add("--depth");
            update.add(Integer.toString(depth));
        }
        update.addAll(git.submoduleUpdateFlags());
        update.addAll(paths);
        List<String> clean = new ArrayList<>(foreach);
        clean.add("git");
        clean.add("clean");
        clean.addAll(git.cleanFlags().isEmpty() ? List.of("-ffdx") : git.cleanFlags());
        List<String> reset = new ArrayList<>(foreach);
        reset.addAll(List.of("git", "reset", "--hard"));

        // Init before sync, so that .git/config is complete; sync picks up URL changes in .gitmodules.
        s.command(List.of("git", "submodule", "init"), "");
        s.command(sync, "");
        s.command(clean, "");
        s.command(reset, "");
        s.line("if " + ShellQuote.quoteAll(update) + "; then");
        s.line("  " + ShellQuote.quoteAll(sync));
        s.line("else");
        s.line("  " + ScriptText.echoCommand("WARNING: Updating submodules failed. Retrying..."));
        if (git.submoduleUpdateFlags().stream().anyMatch(f -> f.equalsIgnoreCase("--remote"))) {
            // As gitlab-runner: a --remote update of a submodule tracking a non-default branch needs its heads.
            List<String> fetchHeads = new ArrayList<>(foreach);
            fetchHeads.addAll(List.of("git", "fetch", "origin", "+refs/heads/*:refs/remotes/origin/*"));
            s.line("  " + ShellQuote.quoteAll(fetchHeads));
        }
        s.line("  " + ShellQuote.quoteAll(sync));
        s.line("  " + ShellQuote.quoteAll(update));
        s.line("  " + ShellQuote.quoteAll(reset));
        s.line("fi");
        s.command(clean, "");
        if (git.lfs()) {
            List<String> lfs = new ArrayList<>(foreach);
            lfs.addAll(List.of("git", "lfs", "pull"));
            s.line("if git lfs version >/dev/null 2>&1; then");
            s.line("  " + ShellQuote.quoteAll(lfs));
            s.line("fi");
        }
    }
}
