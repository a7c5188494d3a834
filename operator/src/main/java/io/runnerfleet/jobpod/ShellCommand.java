package io.runnerfleet.jobpod;

import java.util.List;

/**
 * The Job Pod's own scripts as a container's {@code command}: Kubernetes expands {@code $(VAR)} in a container's
 * command and args and turns {@code $$} into {@code $} (the kubelet's variable expansion), so a script handed over as
 * is would lose every {@code $$} (the shell's own PID, which the build script signals) and could have
 * {@code $(NAME)} replaced. Every {@code $} is therefore written as {@code $$}: the container runs exactly the
 * generated text. A job's own image {@code entrypoint} and {@code command} are not escaped: gitlab-runner hands them to
 * Kubernetes as they are, expansion included.
 */
final class ShellCommand {
    private ShellCommand() {}

    /** {@code sh -c SCRIPT}, with the script escaped for the kubelet's expansion. */
    static List<String> of(String script) {
        return List.of("sh", "-c", script.replace("$", "$$"));
    }
}
