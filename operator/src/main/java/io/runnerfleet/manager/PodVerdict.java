package io.runnerfleet.manager;

/** What a Job Pod's state means for its GitLab job, at one moment. */
public sealed interface PodVerdict {
    /** Still going; {@code stage} says where, for metrics and the trace's sections. */
    record InProgress(JobStage stage) implements PodVerdict {
    }

    /** The build succeeded and the helper finished. */
    record Succeeded() implements PodVerdict {
    }

    /**
     * The job failed. {@code exitCode} is the build script's, when it has one; {@code message} goes into the trace
     * (it names what Kubernetes said, so the user can act on it).
     */
    record Failed(FailureReason reason, Integer exitCode, String message) implements PodVerdict {
    }
}
