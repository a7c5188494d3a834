package io.runnerfleet.jobpod;

import java.util.List;

/**
 * The build container's program (POSIX sh, run as {@code sh -c}). It picks a shell like gitlab-runner (bash, then
 * sh), runs the {@code script} step under {@code set -e}, then {@code after_script} under its own timeout whatever
 * the result, and exits with the script's code. The code is also written to {@link JobPaths#EXIT_CODE_FILE} once
 * everything is done, which is the helper's signal to archive and upload.
 *
 * <p>The job's life as gitlab-runner's {@code common/build.go} ({@code executeUserScripts}) leads it, without the
 * manager reaching into the pod (the managers may not exec):
 * <ul>
 *   <li><b>Timeout.</b> The script stops at the job timeout, counted from {@link JobPaths#JOB_STARTED_FILE} (written
 *       by {@code prepare}), or at {@code RUNNER_SCRIPT_TIMEOUT} from the script's start when that is shorter. A timer
 *       in the wrapper signals it (USR1). {@code after_script} then runs with {@code CI_JOB_STATUS=timedout}.</li>
 *   <li><b>Cancel.</b> A graceful cancel deletes the pod with a grace period; the kubelet's SIGTERM stops the script
 *       (not {@code after_script}, which gitlab-runner lets finish too) and {@code after_script} runs with
 *       {@code CI_JOB_STATUS=canceled}.</li>
 * </ul>
 * Either way the reason ({@code timedout} or {@code canceled}) goes into the container's termination message
 * ({@link JobPaths#TERMINATION_MESSAGE_FILE}), which the kubelet copies into the pod's status: that is how the manager
 * learns it and reports {@code job_execution_timeout}. A wrapper that ends otherwise writes {@link #FINISHED}; a build
 * container terminated without any message was killed as a whole.
 *
 * <p>The job's commands are data here: each is quoted into a shell variable and run by the detected shell, so the
 * wrapper itself never evaluates job input.
 */
final class BuildScript {
    /** gitlab-runner's {@code AfterScriptTimeout} ({@code common/consts.go}). */
    static final int DEFAULT_AFTER_SCRIPT_TIMEOUT = 300;
    /** The termination message of a wrapper that ran to its end without being stopped. */
    static final String FINISHED = "finished";

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
     * @param jobTimeout         the job's timeout in seconds, counted from the job's start
     * @param scriptTimeout      {@code RUNNER_SCRIPT_TIMEOUT} in seconds, counted from the script's start; 0 for none
     * @param serviceWaitSeconds when positive, first wait that long at most for the helper's services-ready file
     *                           (services running as plain containers have no startup probe to gate the build)
     */
    static String generate(
            List<String> script,
            List<String> afterScript,
            int afterScriptTimeout,
            String projectDir,
            int serviceWaitSeconds,
            int jobTimeout,
            int scriptTimeout) {
        ScriptText s = new ScriptText();
        s.line("state=" + ShellQuote.quote(JobPaths.STATE_DIR));
        s.line("exit_file=" + ShellQuote.quote(JobPaths.EXIT_CODE_FILE));
        teeOutput(s);
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
        // Run each stage in the background and wait: only then does a signal reach the traps while the stage runs,
        // and sh as PID 1 would otherwise ignore it. Stopping a stage stops its shell and that shell's children.
        s.line("stage_pid=");
        s.line("phase=script");
        s.line("stop_reason=");
        s.line("stop_stage() {");
        s.line("  [ -n \"$stage_pid\" ] || return 0");
        s.line("  if command -v pkill >/dev/null 2>&1; then pkill -TERM -P \"$stage_pid\" 2>/dev/null; fi");
        s.line("  kill -TERM \"$stage_pid\" 2>/dev/null");
        s.line("}");
        // SIGTERM: the pod is being deleted (a cancel). It stops the script, never after_script.
        s.line("trap 'if [ \"$phase\" = script ]; then stop_reason=${stop_reason:-canceled}; stop_stage; fi' TERM");
        // SIGUSR1: the script timer. SIGUSR2: the after_script timer.
        s.line("trap 'if [ \"$phase\" = script ]; then stop_reason=${stop_reason:-timedout}; stop_stage; fi' USR1");
        s.line("trap 'if [ \"$phase\" = after ]; then stop_stage; fi' USR2");
        s.line("run_stage() {");
        s.line("  \"$shell\" -c \"$prologue");
        s.line("$1\" 3>&- 4>&- &");
        s.line("  stage_pid=$!");
        s.line("  wait \"$stage_pid\"; stage_rc=$?");
        s.line("  while kill -0 \"$stage_pid\" 2>/dev/null; do wait \"$stage_pid\"; stage_rc=$?; done");
        s.line("  stage_pid=");
        s.line("  return \"$stage_rc\"");
        s.line("}");
        // timer SECONDS SIGNAL MESSAGE: sends SIGNAL to this shell after SECONDS unless stopped first. It sleeps a
        // second at a time so that stopping it with SIGKILL (which no inherited trap can catch, unlike SIGTERM right
        // after the fork) leaves no long sleep behind. It goes by the clock, or counts seconds where date cannot
        // say the time.
        s.line("timer() {");
        s.line("  (");
        s.line("    start=$(date +%s 2>/dev/null)");
        s.line("    case \"$start\" in ''|*[!0-9]*) start= ;; esac");
        s.line("    left=$1");
        s.line("    while [ \"$left\" -gt 0 ]; do");
        s.line("      sleep 1");
        s.line("      t=");
        s.line("      [ -z \"$start\" ] || t=$(date +%s 2>/dev/null)");
        s.line("      case \"$t\" in ''|*[!0-9]*) left=$((left - 1)) ;; *) left=$(($1 - (t - start))) ;; esac");
        s.line("    done");
        s.line("    printf '%s\\n' \"$3\"");
        s.line("    kill -\"$2\" $$ 2>/dev/null");
        s.line("  ) </dev/null &");
        s.line("  timer_pid=$!");
        s.line("}");
        s.line("stop_timer() {");
        s.line("  kill -KILL \"$timer_pid\" 2>/dev/null");
        s.line("  wait \"$timer_pid\" 2>/dev/null");
        s.line("}");
        s.line("now=$(date +%s 2>/dev/null)");
        s.line("started=$(cat " + ShellQuote.quote(JobPaths.JOB_STARTED_FILE) + " 2>/dev/null)");
        s.line("case \"$now\" in ''|*[!0-9]*) now=0; started=0 ;; esac");
        s.line("case \"$started\" in ''|*[!0-9]*) started=$now ;; esac");
        s.line("script_timeout=$((" + jobTimeout + " - (now - started)))");
        if (scriptTimeout > 0) {
            s.line("[ " + scriptTimeout + " -ge \"$script_timeout\" ] || script_timeout=" + scriptTimeout);
        }
        s.line("[ \"$script_timeout\" -ge 1 ] || script_timeout=1");
        s.line("timer \"$script_timeout\" USR1 \"ERROR: the script ran past its timeout (${script_timeout}s left "
                + "of the job's); stopping it\"");
        s.line("step_script=" + ShellQuote.quote(stageText(script)));
        s.line("run_stage \"$step_script\"");
        s.line("rc=$?");
        s.line("phase=after");
        s.line("stop_timer");
        s.line("if [ -n \"$stop_reason\" ]; then");
        s.line("  [ \"$rc\" -ne 0 ] || rc=1");
        s.line("  job_status=$stop_reason");
        s.line("elif [ \"$rc\" -eq 0 ]; then job_status=success; else job_status=failed; fi");
        if (!afterScript.isEmpty()) {
            s.line("CI_JOB_STATUS=$job_status");
            s.line("export CI_JOB_STATUS");
            s.line("after_script=" + ShellQuote.quote(stageText(afterScript)));
            s.echo("Running after_script...");
            s.line("timer " + afterScriptTimeout + " USR2 'WARNING: after_script timed out after " + afterScriptTimeout
                    + "s'");
            s.line("run_stage \"$after_script\"");
            s.line("after_rc=$?");
            s.line("stop_timer");
            s.line("if [ \"$after_rc\" -ne 0 ]; then");
            s.line("  printf 'WARNING: after_script failed with exit code %s; the job result is unchanged\\n' "
                    + "\"$after_rc\"");
            s.line("fi");
        }
        s.line("phase=done");
        drainTee(s);
        // Always a termination message, so that a build container without one was killed as a whole (SIGKILL of
        // this wrapper, the runtime) and never reached its end: the manager then fails the job at once instead of
        // waiting for an exit-code file that will never come (manager.PodVerdicts).
        s.line("{ printf '%s\\n' \"${stop_reason:-" + FINISHED + "}\" > "
                + ShellQuote.quote(JobPaths.TERMINATION_MESSAGE_FILE) + "; } 2>/dev/null || :");
        s.line("printf '%s\\n' \"$rc\" > \"$exit_file.tmp\" && mv \"$exit_file.tmp\" \"$exit_file\"");
        s.line("exit \"$rc\"");
        return s.toString();
    }

    /**
     * Everything the container prints from here on also goes, byte for byte and in order, to {@link
     * JobPaths#BUILD_LOG_FILE}: stdout and stderr both go through one pipe into {@code tee}, whose own stdout is the
     * container's. The kubelet rotates container logs ({@code containerLogMaxSize}) and serves only the current file,
     * so this copy is where a manager reads what it could not follow (manager.trace.ContainerLogFollower). An image
     * without {@code tee} or {@code mkfifo} runs as before and says so with {@link
     * JobPaths#BUILD_LOG_UNAVAILABLE_FILE}. Fds 3 and 4 keep the container's own stdout and stderr for the end.
     */
    private static void teeOutput(ScriptText s) {
        s.line("log_file=" + ShellQuote.quote(JobPaths.BUILD_LOG_FILE));
        s.line("tee_pid=");
        s.line("if command -v tee >/dev/null 2>&1 && command -v mkfifo >/dev/null 2>&1; then");
        s.line("  log_fifo=\"$log_file.fifo\"");
        s.line("  rm -f \"$log_fifo\"");
        s.line("  if mkfifo \"$log_fifo\" 2>/dev/null; then");
        s.line("    tee \"$log_file\" <\"$log_fifo\" &");
        s.line("    tee_pid=$!");
        s.line("    exec 3>&1 4>&2 >\"$log_fifo\" 2>&1");
        s.line("    rm -f \"$log_fifo\"");
        s.line("  fi");
        s.line("fi");
        s.line("[ -n \"$tee_pid\" ] || : > " + ShellQuote.quote(JobPaths.BUILD_LOG_UNAVAILABLE_FILE) + " 2>/dev/null");
    }

    /**
     * Closes the pipe and waits for {@code tee} to write the rest, so the file is whole before the exit code (the
     * helper's signal) exists and before the container ends. A process the script left in the background may hold
     * the pipe open: after 10 s {@code tee} is stopped rather than the job held.
     */
    private static void drainTee(ScriptText s) {
        s.line("if [ -n \"$tee_pid\" ]; then");
        s.line("  exec 1>&3 2>&4 3>&- 4>&-");
        s.line("  ( i=0; while [ \"$i\" -lt 10 ]; do sleep 1; i=$((i + 1)); done; kill \"$tee_pid\" ) "
                + "</dev/null >/dev/null 2>&1 &");
        s.line("  drain_pid=$!");
        s.line("  wait \"$tee_pid\" 2>/dev/null");
        s.line("  kill -KILL \"$drain_pid\" 2>/dev/null");
        s.line("  wait \"$drain_pid\" 2>/dev/null");
        s.line("fi");
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
