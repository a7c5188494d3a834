package io.runnerfleet.manager.trace;

import java.util.List;

/**
 * What a trace says before the first container's log: only facts fixed for the job, so any manager writes the same
 * bytes (no pod uid, no manager name, no wall-clock text, no "waiting for pod" progress).
 *
 * @param notes plain lines of the "Preparing environment" section, before "Running on ..." (e.g. gitlab-runner's
 *     "Overriding user for container ..." lines)
 * @param warnings {@code WARNING:} lines of that section (e.g. a refused {@code image: kubernetes: user})
 */
public record TracePreamble(
        String runnerName,
        String runnerVersion,
        String namespace,
        String podName,
        List<String> notes,
        List<String> warnings) {
    public TracePreamble {
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
    }

    public TracePreamble(String runnerName, String runnerVersion, String namespace, String podName) {
        this(runnerName, runnerVersion, namespace, podName, List.of(), List.of());
    }
}
