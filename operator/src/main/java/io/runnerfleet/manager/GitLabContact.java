package io.runnerfleet.manager;

import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.gitlab.client.JobRequestResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this manager knows of GitLab, for the fleet's status: when a job request was last answered, the last error,
 * whether the token was refused, when it expires. The pollers record every answer; the Lease renewal writes
 * {@link #report} as annotations ({@link ManagerReport}), so reporting costs no request of its own. Reachable means
 * answered within three check intervals, the limit the fleet's {@code GitLabReachable} condition promises.
 */
public final class GitLabContact {
    static final int STALE_AFTER_INTERVALS = 3;
    private static final int MAX_ERROR_LENGTH = 200;

    private final Duration staleAfter;
    private Instant lastAnswer;
    private String lastError;
    private boolean tokenRejected;
    private String tokenExpiresAt;
    private Instant backoffUntil;
    private int backoffFailures;
    private String rotationFailure;
    private Instant rotationFailedSince;
    private String capacityLimited;
    private boolean paused;
    /** Since when the manager asks GitLab nothing (paused, or no Job Pod fits); null while it asks. */
    private Instant quietSince;

    private Boolean reportedReachable;
    private Instant reportedSince;

    public GitLabContact(Duration checkInterval) {
        this.staleAfter = checkInterval.multipliedBy(STALE_AFTER_INTERVALS);
    }

    /** {@code POST /runners/verify} answered 200 (it reached GitLab), with the token's expiry when GitLab gave one. */
    public synchronized void verified(String tokenExpiresAt, Instant now) {
        this.lastAnswer = now;
        this.tokenExpiresAt = tokenExpiresAt == null || tokenExpiresAt.isBlank() ? null : tokenExpiresAt;
        this.tokenRejected = false;
    }

    /** Any GitLab API call answered with a status below 500 (trace and job updates count too). */
    public synchronized void answered(Instant now) {
        lastAnswer = now;
    }

    /** One answer (or non-answer) to {@code POST /jobs/request}. */
    public synchronized void requested(JobRequestResult result, Instant now) {
        if (result instanceof JobRequestResult.Forbidden forbidden) {
            tokenRejected = true;
            lastError = forbidden.message();
            return;
        }
        if (result instanceof JobRequestResult.Failed failed) {
            lastError = failed.message();
            if (!failed.healthy()) {
                return;
            }
        }
        tokenRejected = false;
        lastAnswer = now;
        backoffUntil = null;
    }

    /**
     * A poller reached {@code unhealthy_requests_limit} ({@code failures} in a row) and asks for no job until
     * {@code until}; reported so the fleet says why no job is taken, instead of a restart hiding it.
     */
    public synchronized void backingOff(Instant until, int failures) {
        backoffUntil = until;
        backoffFailures = failures;
    }

    /** The token rotation failed ({@code message} names what and never holds a token); reported until it succeeds. */
    public synchronized void rotationFailed(String message, Instant now) {
        rotationFailure = message;
        if (rotationFailedSince == null) {
            rotationFailedSince = now.truncatedTo(ChronoUnit.SECONDS);
        }
    }

    /** The token was rotated and the Secret holds the new one: no failure to report any more. */
    public synchronized void rotationSucceeded() {
        rotationFailure = null;
        rotationFailedSince = null;
    }

    /**
     * The last capacity check before a job request ({@code spec.executor.capacityAware}): why no Job Pod fits (the
     * quota and resource), or null when one did. While it skips, the manager asks GitLab nothing, so silence is no
     * sign of an unreachable GitLab: reachability stays what it was when the skipping began (see {@link #report}).
     */
    public synchronized void capacity(String limited, Instant now) {
        capacityLimited = limited;
        quiet(now);
    }

    /**
     * The fleet's {@code spec.paused} as the poller sees it: paused, the manager asks GitLab nothing either, which is
     * no sign of an unreachable GitLab, as for a full quota ({@link #capacity}).
     */
    public synchronized void paused(boolean pausedNow, Instant now) {
        paused = pausedNow;
        quiet(now);
    }

    /**
     * Starts or ends a quiet spell. While quiet, reachability stays what it was when the spell began; when it ends,
     * a GitLab that was reachable gets three check intervals to answer the first request again (a long-polled one is
     * held by GitLab, unanswered, up to its poll timeout), instead of being reported unreachable at once.
     */
    private void quiet(Instant now) {
        boolean quietNow = paused || capacityLimited != null;
        if (quietNow && quietSince == null) {
            quietSince = now;
        } else if (!quietNow && quietSince != null) {
            if (reachableAt(quietSince)) {
                lastAnswer = now;
            }
            quietSince = null;
        }
    }

    private boolean reachableAt(Instant at) {
        return lastAnswer != null && !at.isAfter(lastAnswer.plus(staleAfter));
    }

    /** A request that failed before GitLab answered (connection refused, timeout). */
    public synchronized void unreachable(String error) {
        lastError = error;
    }

    /** The annotations for the Lease now; {@code gitlab-since} moves only when reachability changes. */
    public synchronized Map<String, String> report(Instant now) {
        boolean reachable = reachableAt(now) || (quietSince != null && reachableAt(quietSince));
        if (reportedReachable == null || reportedReachable != reachable) {
            reportedReachable = reachable;
            reportedSince = now.truncatedTo(ChronoUnit.SECONDS);
        }
        Map<String, String> report = new LinkedHashMap<>();
        report.put(ManagerReport.REACHABLE, Boolean.toString(reachable));
        report.put(ManagerReport.SINCE, reportedSince.toString());
        report.put(ManagerReport.TOKEN_REJECTED, Boolean.toString(tokenRejected));
        if (lastError != null) {
            report.put(ManagerReport.LAST_ERROR, shorten(lastError));
        }
        if (tokenExpiresAt != null) {
            report.put(ManagerReport.TOKEN_EXPIRES_AT, tokenExpiresAt);
        }
        if (rotationFailure != null) {
            report.put(ManagerReport.TOKEN_ROTATION_FAILED, shorten(rotationFailure));
            report.put(ManagerReport.TOKEN_ROTATION_FAILED_SINCE, rotationFailedSince.toString());
        }
        if (capacityLimited != null) {
            report.put(ManagerReport.CAPACITY_LIMITED, shorten(capacityLimited));
        }
        if (backoffUntil != null && now.isBefore(backoffUntil)) {
            report.put(
                    ManagerReport.BACKOFF_UNTIL,
                    backoffUntil.truncatedTo(ChronoUnit.SECONDS).toString());
            report.put(ManagerReport.BACKOFF_FAILURES, Integer.toString(backoffFailures));
        }
        return report;
    }

    private static String shorten(String error) {
        String oneLine = error.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_ERROR_LENGTH ? oneLine : oneLine.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }
}
