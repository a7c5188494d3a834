package io.runnerfleet.jobpod;

import java.util.List;

/** A POSIX sh script being written: lines, and commands whose every argument is quoted. */
final class ScriptText {
    private final StringBuilder text = new StringBuilder();

    ScriptText line(String line) {
        text.append(line).append('\n');
        return this;
    }

    /** A message for the job log; quoted, so a job-provided part cannot run. */
    ScriptText echo(String message) {
        return line(echoCommand(message));
    }

    static String echoCommand(String message) {
        return "printf '%s\\n' " + ShellQuote.quote(message);
    }

    /** {@code words} quoted one by one, then {@code rest} verbatim (redirections, {@code ||}, variable refs). */
    ScriptText command(List<String> words, String rest) {
        return line(ShellQuote.quoteAll(words) + (rest.isEmpty() ? "" : " " + rest));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
