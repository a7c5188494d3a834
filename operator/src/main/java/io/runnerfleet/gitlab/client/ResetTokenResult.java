package io.runnerfleet.gitlab.client;

/**
 * What {@code POST /api/v4/runners/reset_authentication_token} said (gitlab-runner's {@code network/gitlab.go}
 * {@code resetToken}: 201 is success, 403 means the token used is not valid, anything else failed).
 */
public sealed interface ResetTokenResult {

    /**
     * 201: GitLab made {@code token} the runner's token; the old one is invalid from now on. {@code tokenExpiresAt}
     * is GitLab's {@code token_expires_at} as sent (RFC 3339), or null when the token never expires.
     */
    record Reset(String token, String tokenExpiresAt) implements ResetTokenResult {
        public Reset {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("GitLab answered 201 without a token");
            }
        }

        /** Never shows the token: a result logged or put in a message by accident stays safe. */
        @Override
        public String toString() {
            return "Reset[token=redacted, tokenExpiresAt=" + tokenExpiresAt + "]";
        }
    }

    /** 403: GitLab does not accept the token the reset was asked with (already rotated, revoked, expired). */
    record Rejected(String message) implements ResetTokenResult {}

    /** Anything else (5xx after retries, no answer, a 201 without a token): the old token is still the one in use. */
    record Failed(int status, String message) implements ResetTokenResult {}
}
