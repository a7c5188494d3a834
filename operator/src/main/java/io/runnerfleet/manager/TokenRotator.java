package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.config.TokenRotation;
import io.runnerfleet.gitlab.client.GitLabClient;
import io.runnerfleet.gitlab.client.ResetTokenResult;
import io.runnerfleet.gitlab.client.VerifyResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the runner token's expiry known and, with {@code spec.gitlab.tokenRotation}, rotates the token before it
 * expires: on every manager, a token that changed (read from the mounted Secret) is verified once to learn its
 * {@code token_expires_at}; when that is within {@code before}, the manager elected through
 * {@link TokenRotationLease} checks the Secret (a peer may have rotated already), calls GitLab's
 * {@code reset_authentication_token} and writes the new token into the Secret, and only then uses it. Peers read it
 * from their mounted file ({@link RunnerToken}).
 *
 * <p>The dangerous window: GitLab invalidates the old token as it answers the reset. If the Secret write then fails,
 * the new token exists only in this process: it is kept (and used, since GitLab refuses the old one anyway), the
 * write is retried with back-off and never another reset, and the failure is logged at error and reported on the
 * Lease ({@link GitLabContact#rotationFailed}). A failed reset changes nothing: the old token stays valid and in use.
 * Neither the log nor the report ever holds a token.
 */
public final class TokenRotator implements Runnable {
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(TokenRotator.class);

    private final GitLabClient gitlab;
    private final RunnerToken token;
    private final GitLabContact contact;
    private final TokenRotation rotation;
    private final TokenRotationLease election;
    private final TokenSecret secret;
    private final Duration firstRetry;
    private final Clock clock;

    private String verifiedToken;
    private Instant expiresAt;
    private Instant retryAt = Instant.MIN;
    private int failures;
    /** A token GitLab handed out whose Secret write has not succeeded yet: the only valid token of the runner. */
    private ResetTokenResult.Reset pending;

    /**
     * @param rotation   null when the fleet does not rotate (then {@code election} and {@code secret} are unused)
     * @param firstRetry the delay after a first failure, doubled after each further one up to {@link #MAX_RETRY_DELAY}
     */
    TokenRotator(
            GitLabClient gitlab,
            RunnerToken token,
            GitLabContact contact,
            TokenRotation rotation,
            TokenRotationLease election,
            TokenSecret secret,
            Duration firstRetry,
            Clock clock) {
        this.gitlab = gitlab;
        this.token = token;
        this.contact = contact;
        this.rotation = rotation;
        this.election = election;
        this.secret = secret;
        this.firstRetry = firstRetry;
        this.clock = clock;
    }

    /** What {@code runners/verify} said of {@code tokenValue} at start, so it is not asked again. */
    synchronized void verified(String tokenValue, String tokenExpiresAt) {
        verifiedToken = tokenValue;
        expiresAt = parse(tokenExpiresAt);
    }

    @Override
    public void run() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and carry on at the next tick.
            LOG.error("token rotation check failed: {}", e.toString());
        }
    }

    synchronized void tick() {
        Instant now = clock.instant();
        learnExpiry(now);
        if (rotation == null) {
            return;
        }
        if (pending != null) {
            // Still the elected one: renewing keeps a peer from resetting with the token GitLab no longer takes.
            election.holdThroughReset();
            if (!now.isBefore(retryAt)) {
                writeSecret(now);
            }
            return;
        }
        if (!TokenRotationDue.due(expiresAt, rotation.before(), now) || now.isBefore(retryAt)) {
            return;
        }
        if (election.hold()) {
            rotate(now);
        }
    }

    /** Verifies a token this manager has not verified yet (read anew from its file), to learn when it expires. */
    private void learnExpiry(Instant now) {
        String current = token.value();
        if (current.equals(verifiedToken)) {
            return;
        }
        VerifyResult result = gitlab.verify(current);
        if (result instanceof VerifyResult.Verified ok) {
            verifiedToken = current;
            expiresAt = parse(ok.tokenExpiresAt());
            contact.verified(ok.tokenExpiresAt(), now);
        }
        // Otherwise the pollers report the refusal or the error; the next tick asks again.
    }

    private void rotate(Instant now) {
        TokenSecret.Current current;
        try {
            current = secret.read();
        } catch (KubernetesClientException e) {
            failed(now, "reading Secret " + secret.where() + " before the reset failed: " + status(e));
            return;
        }
        if (current.token() != null && !current.token().equals(token.value())) {
            // A peer (or a human) put another token into the Secret; this manager's file has not caught up yet.
            LOG.info("token rotation: Secret {} already holds another token; using it, no reset", secret.where());
            token.rotatedTo(current.token());
            return;
        }
        if (!election.holdThroughReset()) {
            return;
        }
        ResetTokenResult result = gitlab.resetToken(token.value());
        if (result instanceof ResetTokenResult.Reset reset) {
            LOG.info(
                    "token rotation: GitLab reset the runner token (expiry {}); writing it into Secret {}",
                    reset.tokenExpiresAt(),
                    secret.where());
            pending = reset;
            writeSecret(now);
        } else if (result instanceof ResetTokenResult.Rejected rejected) {
            failed(
                    now,
                    "GitLab refused the reset (403): the token in use is no longer valid (expired, revoked, or"
                            + " reset by a manager that did not write the Secret): " + rejected.message());
        } else if (result instanceof ResetTokenResult.Failed failedReset) {
            failed(
                    now,
                    "GitLab's reset failed (" + failedReset.status() + "), the old token stays: "
                            + failedReset.message());
        }
    }

    private void writeSecret(Instant now) {
        try {
            TokenSecret.Current latest = secret.read();
            if (!pending.token().equals(latest.token())) {
                secret.write(latest, pending.token());
            }
        } catch (KubernetesClientException e) {
            token.rotatedTo(pending.token());
            failed(
                    now,
                    "GitLab reset the token but writing Secret " + secret.where() + " failed (" + status(e)
                            + "); the new token is only in this manager's memory, its peers are refused until it is written");
            LOG.error(
                    "TOKEN ROTATION INCOMPLETE: GitLab already invalidated the old runner token, and the new one could"
                            + " not be written into Secret {} ({}). This manager keeps it in memory and retries the"
                            + " write at {}; the other managers are refused by GitLab until then. Restarting this"
                            + " manager now would lose the only valid token.",
                    secret.where(),
                    status(e),
                    retryAt);
            return;
        }
        token.rotatedTo(pending.token());
        verifiedToken = pending.token();
        expiresAt = parse(pending.tokenExpiresAt());
        contact.verified(pending.tokenExpiresAt(), now);
        contact.rotationSucceeded();
        LOG.info(
                "token rotation: Secret {} holds the new runner token (expiry {})",
                secret.where(),
                pending.tokenExpiresAt());
        pending = null;
        failures = 0;
        retryAt = Instant.MIN;
        // The next rotation is far off: whoever is live then is elected afresh.
        election.release();
    }

    private void failed(Instant now, String message) {
        failures++;
        Duration delay = firstRetry.multipliedBy(1L << Math.min(failures - 1, 20));
        retryAt = now.plus(delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay);
        contact.rotationFailed(message, now);
        LOG.warn("token rotation failed ({} in a row), next try at {}: {}", failures, retryAt, message);
    }

    /** The API's status code and reason only: a Status message could quote what was sent. */
    private static String status(KubernetesClientException e) {
        if (e.getCode() <= 0) {
            return "no answer: "
                    + (e.getCause() == null
                            ? "KubernetesClientException"
                            : e.getCause().getClass().getSimpleName());
        }
        String reason = e.getStatus() == null ? null : e.getStatus().getReason();
        return e.getCode() + (reason == null ? "" : " " + reason);
    }

    private static Instant parse(String tokenExpiresAt) {
        if (tokenExpiresAt == null || tokenExpiresAt.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(tokenExpiresAt).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
