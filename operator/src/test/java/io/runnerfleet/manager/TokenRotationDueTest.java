package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the token is rotated, given its expiry, {@code spec.gitlab.tokenRotation.before} and the time. */
class TokenRotationDueTest {
    private static final Instant EXPIRES = Instant.parse("2026-12-10T08:00:00Z");
    private static final Duration BEFORE = Duration.ofHours(72);

    @Test
    void notBeforeTheExpiryMinusBefore() {
        assertThat(TokenRotationDue.due(EXPIRES, BEFORE, Instant.parse("2026-12-07T07:59:59Z")))
                .isFalse();
        assertThat(TokenRotationDue.rotateAt(EXPIRES, BEFORE)).isEqualTo(Instant.parse("2026-12-07T08:00:00Z"));
    }

    @Test
    void fromTheExpiryMinusBeforeOn() {
        assertThat(TokenRotationDue.due(EXPIRES, BEFORE, Instant.parse("2026-12-07T08:00:00Z")))
                .isTrue();
        assertThat(TokenRotationDue.due(EXPIRES, BEFORE, Instant.parse("2026-12-09T12:00:00Z")))
                .isTrue();
    }

    @Test
    void alsoAfterTheExpirySoThatTheRefusedResetIsReported() {
        assertThat(TokenRotationDue.due(EXPIRES, BEFORE, EXPIRES.plusSeconds(1)))
                .isTrue();
    }

    @Test
    void neverForATokenWithoutExpiry() {
        assertThat(TokenRotationDue.due(null, BEFORE, Instant.parse("2099-01-01T00:00:00Z")))
                .isFalse();
    }
}
