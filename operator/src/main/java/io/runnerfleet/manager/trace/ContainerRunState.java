package io.runnerfleet.manager.trace;

/** Where one container of a Job Pod is, as far as following its log is concerned. */
public enum ContainerRunState {
    /** No status yet, or waiting (pulling, PodInitializing, ...): its log cannot be read yet. */
    NOT_STARTED,
    RUNNING,
    /** Exited: its log is complete. */
    TERMINATED,
    /** Still waiting, but the pod has finished or is being deleted: it never will run. */
    WILL_NOT_RUN,
    /** The pod does not exist (any more). */
    POD_GONE
}
