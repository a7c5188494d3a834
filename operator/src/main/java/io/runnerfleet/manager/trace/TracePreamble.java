package io.runnerfleet.manager.trace;

/**
 * What a trace says before the first container's log: only facts fixed for the job, so any manager writes the same
 * bytes (no pod uid, no manager name, no wall-clock text, no "waiting for pod" progress).
 */
public record TracePreamble(String runnerName, String runnerVersion, String namespace, String podName) {}
