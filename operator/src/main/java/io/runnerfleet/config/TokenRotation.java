package io.runnerfleet.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code spec.gitlab.tokenRotation} as a manager needs it, in {@code [runners.runner_fleet]}: how long before the
 * token's expiry to rotate it ({@code token_rotation_before}), and the Secret key the new token is written into
 * ({@code token_secret}, {@code token_secret_key}), the one the manager's {@code --token-file} is mounted from.
 * gitlab-runner has no such keys: it rotates at 3/4 of the lifetime and writes the token into config.toml itself.
 */
public record TokenRotation(Duration before, String secretName, String secretKey) {
    static final String BEFORE_KEY = "token_rotation_before";
    static final String SECRET_KEY = "token_secret";
    static final String SECRET_KEY_KEY = "token_secret_key";

    public TokenRotation {
        Objects.requireNonNull(before, "before");
        if (before.isNegative() || before.isZero()) {
            throw new IllegalArgumentException(
                    BEFORE_KEY + " must be more than 0s, e.g. \"72h\"; a token is refused once it has expired");
        }
        if (secretName == null || secretName.isBlank()) {
            throw new IllegalArgumentException(
                    BEFORE_KEY + " needs " + SECRET_KEY + ", the Secret the rotated token is written into, e.g. "
                            + SECRET_KEY + " = \"build-fleet-token\"");
        }
        secretKey = secretKey == null || secretKey.isBlank() ? "token" : secretKey;
    }
}
