package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * When the managers rotate the runner token themselves. gitlab-runner rotates at 3/4 of the token's lifetime
 * ({@code common/consts.go} {@code TokenResetIntervalFactor}, {@code commands/multi.go} {@code nextRunnerToReset})
 * and saves the new token into its config.toml, which a read-only ConfigMap loses on restart; a fleet says how long
 * before the expiry, and the new token goes into the fleet's Secret.
 */
public record TokenRotationSpec(
        @Required
        @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("How long before the runner token expires (GitLab's `token_expires_at`, from `POST "
                + "/runners/verify`) one manager of the fleet, elected through the Lease `<fleet>-token-rotation`, "
                + "calls `POST /runners/reset_authentication_token` and writes the new token into "
                + "`spec.gitlab.tokenSecretRef`; every manager reads it from its mounted Secret, without a restart. "
                + "A duration such as `72h`, more than `0s`. A failed rotation keeps the old token and turns "
                + "`TokenExpiring` True with reason `RotationFailed`.")
        String before) {}
