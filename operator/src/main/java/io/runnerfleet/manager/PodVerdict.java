package io.runnerfleet.manager;

/** What a Job Pod's state means for its GitLab job, at one moment. */
public sealed interface PodVerdict {
    /** Still going; {@code stage} says where, for metrics and the trace's sections. */
    record InProgress(JobStage stage) implements PodVerdict {}

    /** The build succeeded and the helper finished. */
    record Succeeded() implements PodVerdict {}

    /**
     * The job failed. {@code exitCode} is the build script's, when it has one; {@code message} goes into the trace
     * (it names what Kubernetes said, so the user can act on it).
     */
    record Failed(FailureReason reason, Integer exitCode, String message) implements PodVerdict {
        /** gitlab-runner's wording for a script that failed: {@code exit code N}; anything else says what happened. */
        public String closingLine() {
            return reason == FailureReason.SCRIPT_FAILURE && exitCode != null ? "exit code " + exitCode : message;
        }

        /** Whether the message says more than the closing line does (e.g. that the container was OOMKilled). */
        public boolean hasMoreToSay() {
            return !closingLine().equals(message) && !message.equals(PodVerdicts.scriptExitMessage(exitCode));
        }
    }
}
