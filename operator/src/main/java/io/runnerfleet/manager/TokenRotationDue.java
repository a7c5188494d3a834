package io.runnerfleet.manager;

import java.time.Duration;
import java.time.Instant;

/**
 * When the fleet's token is rotated: once GitLab's {@code token_expires_at} is within {@code before}. Pure.
 *
 * <p>gitlab-runner resets at 3/4 of the lifetime since it obtained the token ({@code commands/multi.go}
 * {@code nextRunnerToReset}, {@code common/consts.go} {@code TokenResetIntervalFactor = 0.75}); a manager never
 * knows when the token in its Secret was obtained (a human may have put it there), only when it expires, so the
 * fleet says how long before.
 */
public final class TokenRotationDue {
    private TokenRotationDue() {}

    /**
     * True from {@code expiresAt - before} on, also after the expiry (a reset is then refused, which is reported);
     * never for a token without expiry ({@code expiresAt} null).
     */
    public static boolean due(Instant expiresAt, Duration before, Instant now) {
        return expiresAt != null && !now.isBefore(rotateAt(expiresAt, before));
    }

    /** The instant {@link #due} turns true. */
    public static Instant rotateAt(Instant expiresAt, Duration before) {
        return expiresAt.minus(before);
    }
}
