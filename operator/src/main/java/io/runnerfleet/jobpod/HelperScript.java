package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobArtifact;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code helper} container's script: wait for the build's exit code, then archive the cache and upload the
 * artifacts whose {@code when} matches the result. A failed upload fails the helper (and so the job, as upstream);
 * a failed cache archive only warns.
 */
final class HelperScript {
    /** How long the helper waits for a build log reader that has stopped reading. */
    static final int LOG_READER_IDLE_SECONDS = 30;

    private HelperScript() {}

    /**
     * @param healthCheckPorts service ports to wait for before the build may start, when services run as plain
     *                         containers; empty when startup probes gate the build
     */
    static String generate(
            String projectDir,
            String serverUrl,
            long jobId,
            CachePlan caches,
            List<JobArtifact> artifacts,
            List<Integer> healthCheckPorts) {
        ScriptText s = new ScriptText();
        // A canceled job's pod is deleted with a grace period: the helper outlives SIGTERM to upload what the
        // build's after_script leaves (on_failure and always artifacts), as gitlab-runner uploads after a cancel.
        s.line("trap '' TERM");
        s.line("exit_file=" + ShellQuote.quote(JobPaths.EXIT_CODE_FILE));
        if (!healthCheckPorts.isEmpty()) {
            List<String> check = new ArrayList<>(List.of("gitlab-runner-helper", "health-check"));
            healthCheckPorts.forEach(p -> {
                check.add("--port");
                check.add(Integer.toString(p));
            });
            s.command(check, "|| printf '%s\\n' 'WARNING: a service did not open its port'");
            s.line("touch " + ShellQuote.quote(JobPaths.SERVICES_READY_FILE));
        }
        s.line("while [ ! -e \"$exit_file\" ]; do sleep 1; done");
        s.line("rc=$(cat \"$exit_file\")");
        s.line("if [ \"$rc\" = 0 ]; then result=on_success; else result=on_failure; fi");
        s.line("cd " + ShellQuote.quote(projectDir) + " || exit 1");
        s.line("failed=0");
        caches.writeArchive(s);
        for (JobArtifact artifact : artifacts) {
            if (artifact.paths().isEmpty() && !artifact.untracked()) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(
                    "gitlab-runner-helper", "artifacts-uploader", "--url", serverUrl, "--id", Long.toString(jobId)));
            option(words, "--name", artifact.name());
            option(words, "--expire-in", artifact.expireIn());
            option(words, "--artifact-format", artifact.artifactFormat());
            option(words, "--artifact-type", artifact.artifactType());
            artifact.paths().forEach(p -> option(words, "--path", p));
            artifact.exclude().forEach(p -> option(words, "--exclude", p));
            if (artifact.untracked()) {
                words.add("--untracked");
            }
            whenMatches(s, artifact.when());
            s.line("  "
                    + ScriptText.echoCommand(
                            "Uploading artifacts" + (artifact.name() == null ? "" : " " + artifact.name()) + "..."));
            s.line("  " + ShellQuote.quoteAll(words)
                    + " || { printf '%s\\n' 'ERROR: Uploading artifacts failed'; failed=1; }");
            s.line("fi");
        }
        waitForLogReader(s);
        s.line("exit \"$failed\"");
        return s.toString();
    }

    /**
     * A manager that reads the build's log file (it missed lines the kubelet rotated away: an adopted job, a follow
     * stream with a gap) does so by exec into this container, so the helper stays until that reader has read the
     * complete file to its end ({@link JobPaths#BUILD_LOG_READ_FILE}), or until no read came for
     * {@value #LOG_READER_IDLE_SECONDS} s (the reader gave up or its manager died; a reader polls at least every
     * 5 s). Without a reader it exits at once. gitlab-runner's helper likewise lives until the runner has read the
     * log ({@code executors/kubernetes/log_processor.go}): there the runner ends the pod.
     */
    private static void waitForLogReader(ScriptText s) {
        s.line("log_reader=" + ShellQuote.quote(JobPaths.BUILD_LOG_READER_FILE));
        s.line("if [ -e \"$log_reader\" ]; then");
        s.line("  reads=; idle=0");
        s.line("  while [ ! -e " + ShellQuote.quote(JobPaths.BUILD_LOG_READ_FILE) + " ] && [ \"$idle\" -lt "
                + LOG_READER_IDLE_SECONDS + " ]; do");
        s.line("    now=$(wc -l < \"$log_reader\")");
        s.line("    if [ \"$now\" = \"$reads\" ]; then idle=$((idle + 1)); else reads=$now; idle=0; fi");
        s.line("    sleep 1");
        s.line("  done");
        s.line("fi");
    }

    private static void whenMatches(ScriptText s, String when) {
        String value = when == null || when.isBlank() ? "on_success" : when;
        switch (value) {
            case "always" -> s.line("if true; then");
            case "on_failure" -> s.line("if [ \"$result\" = on_failure ]; then");
            case "on_success" -> s.line("if [ \"$result\" = on_success ]; then");
            default ->
                throw new JobPodException("artifacts/cache when \"" + ServiceHostnames.printable(value)
                        + "\" is unknown; use on_success, on_failure or always");
        }
    }

    private static void option(List<String> words, String flag, String value) {
        if (value != null && !value.isBlank()) {
            words.add(flag);
            words.add(value);
        }
    }
}
