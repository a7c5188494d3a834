package io.runnerfleet.gitlab.client;

/** What {@code POST /api/v4/runners/verify} said. */
public sealed interface VerifyResult {

    /** 200: the token is valid. {@code id} and {@code tokenExpiresAt} are null when a legacy server answered text. */
    record Verified(Long runnerId, String tokenExpiresAt) implements VerifyResult {}

    /**
     * 403: GitLab does not know this runner token (wrong, revoked or the runner was deleted). Retrying will not help:
     * the manager should stop with {@link #message()}.
     */
    record InvalidToken(String message) implements VerifyResult {}

    /** Anything else (5xx after retries, connection error, unexpected status): GitLab could not say. */
    record Failed(int status, String message) implements VerifyResult {}

    /** Throws {@link RunnerTokenRejectedException} for {@link InvalidToken}; returns this otherwise. */
    default VerifyResult orThrowIfInvalid() {
        if (this instanceof InvalidToken invalid) {
            throw new RunnerTokenRejectedException(invalid.message());
        }
        return this;
    }
}
