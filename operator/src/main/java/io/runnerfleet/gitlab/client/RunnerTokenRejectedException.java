package io.runnerfleet.gitlab.client;

/** GitLab rejected the runner token (403 on verify). Not retryable: the manager exits with this message. */
public final class RunnerTokenRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunnerTokenRejectedException(String message) {
        super(message);
    }
}
