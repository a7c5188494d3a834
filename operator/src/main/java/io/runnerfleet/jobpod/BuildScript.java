package io.runnerfleet.jobpod;

import java.util.List;

/**
 * The build container's program (POSIX sh, run as {@code sh -c}). It picks a shell like gitlab-runner (bash, then
 * sh), runs the {@code script} step under {@code set -e}, then {@code after_script} under its own timeout whatever
 * the result, and exits with the script's code. The code is also written to {@link JobPaths#EXIT_CODE_FILE} once
 * everything is done, which is the helper's signal to archive and upload.
 *
 * <p>The job's commands are data here: each is quoted into a shell variable and run by the detected shell, so the
 * wrapper itself never evaluates job input.
 */
final class BuildScript {
    static final int DEFAULT_AFTER_SCRIPT_TIMEOUT = 300;
    static final List<String> SHELLS = List.of(
            "/usr/local/bin/bash",
            "/usr/bin/bash",
            "/bin/bash",
            "/usr/local/bin/sh",
            "/usr/bin/sh",
            "/bin/sh",
            "/busybox/sh");

    private BuildScript() {}

    /**
     * @param serviceWaitSeconds when positive, first wait that long at most for the helper's services-ready file
     *                           (services running as plain containers have no startup probe to gate the build)
     */
    static String generate(
            List<String> script,
            List<String> afterScript,
            int afterScriptTimeout,
            String projectDir,
            int serviceWaitSeconds) {
        ScriptText s = new ScriptText();
        s.line("state=" + ShellQuote.quote(JobPaths.STATE_DIR));
        s.line("exit_file=" + ShellQuote.quote(JobPaths.EXIT_CODE_FILE));
        s.line("cd " + ShellQuote.quote(projectDir) + " || exit 1");
        if (serviceWaitSeconds > 0) {
            s.line("waited=0");
            s.line("while [ ! -e " + ShellQuote.quote(JobPaths.SERVICES_READY_FILE) + " ]; do");
            s.line("  if [ \"$waited\" -ge " + serviceWaitSeconds + " ]; then");
            s.line("    printf '%s\\n' 'WARNING: services are not ready after " + serviceWaitSeconds
                    + "s; starting the script anyway'");
            s.line("    break");
            s.line("  fi");
            s.line("  sleep 1");
            s.line("  waited=$((waited + 1))");
            s.line("done");
        }
        s.line("shell=");
        s.line("for candidate in " + String.join(" ", SHELLS) + "; do");
        s.line("  if [ -x \"$candidate\" ]; then shell=\"$candidate\"; break; fi");
        s.line("done");
        s.line("[ -n \"$shell\" ] || shell=sh");
        s.line("case \"$shell\" in");
        s.line("  *bash) prologue='set -eo pipefail' ;;");
        s.line("  *) prologue='set -e' ;;");
        s.line("esac");
        // Run each stage in the background and wait: only then does a SIGTERM (cancel, deadline) reach the trap
        // while the stage runs, and sh as PID 1 would otherwise ignore it.
        s.line("stage_pid=");
        s.line("trap '[ -n \"$stage_pid\" ] && kill -TERM \"$stage_pid\" 2>/dev/null' TERM");
        s.line("run_stage() {");
        s.line("  \"$shell\" -c \"$prologue");
        s.line("$1\" &");
        s.line("  stage_pid=$!");
        s.line("  wait \"$stage_pid\"; stage_rc=$?");
        s.line("  while kill -0 \"$stage_pid\" 2>/dev/null; do wait \"$stage_pid\"; stage_rc=$?; done");
        s.line("  stage_pid=");
        s.line("  return \"$stage_rc\"");
        s.line("}");
        s.line("step_script=" + ShellQuote.quote(stageText(script)));
        s.line("run_stage \"$step_script\"");
        s.line("rc=$?");
        if (!afterScript.isEmpty()) {
            s.line("if [ \"$rc\" -eq 0 ]; then CI_JOB_STATUS=success; else CI_JOB_STATUS=failed; fi");
            s.line("export CI_JOB_STATUS");
            s.line("after_script=" + ShellQuote.quote(stageText(afterScript)));
            s.echo("Running after_script...");
            s.line("(");
            s.line("  trap 'kill \"$sleep_pid\" 2>/dev/null; exit 0' TERM");
            s.line("  sleep " + afterScriptTimeout + " &");
            s.line("  sleep_pid=$!");
            s.line("  wait \"$sleep_pid\"");
            s.line("  printf '%s\\n' 'WARNING: after_script timed out after " + afterScriptTimeout + "s'");
            s.line("  kill -TERM $$ 2>/dev/null");
            s.line(") </dev/null &");
            s.line("watchdog_pid=$!");
            s.line("run_stage \"$after_script\"");
            s.line("after_rc=$?");
            s.line("kill -TERM \"$watchdog_pid\" 2>/dev/null");
            s.line("wait \"$watchdog_pid\" 2>/dev/null");
            s.line("if [ \"$after_rc\" -ne 0 ]; then");
            s.line("  printf 'WARNING: after_script failed with exit code %s; the job result is unchanged\\n' "
                    + "\"$after_rc\"");
            s.line("fi");
        }
        s.line("printf '%s\\n' \"$rc\" > \"$exit_file.tmp\" && mv \"$exit_file.tmp\" \"$exit_file\"");
        s.line("exit \"$rc\"");
        return s.toString();
    }

    /** One stage as the detected shell runs it: each command echoed as {@code $ command}, then run. */
    static String stageText(List<String> commands) {
        StringBuilder text = new StringBuilder();
        for (String command : commands) {
            text.append("printf '%s\\n' ")
                    .append(ShellQuote.quote("$ " + command))
                    .append('\n');
            text.append(command).append('\n');
        }
        return text.toString();
    }
}
