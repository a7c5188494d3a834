package io.runnerfleet.api.v1alpha1;

/**
 * What a manager knows of GitLab and only it knows, written as annotations on its own Lease (which it renews anyway,
 * in the fleet's namespace) and read by the operator, which turns the fleet's reports into the conditions
 * GitLabReachable, AcceptingJobs and TokenExpiring. A Lease needs no new permission for either side: managers already
 * update their Leases and the operator already lists them. Values never hold a token; messages are GitLab's error
 * text with tokens redacted.
 */
public final class ManagerReport {
    /** Every key of the report starts so; a renewal replaces them all, so a key the report dropped goes too. */
    public static final String KEY_PREFIX = FleetLabels.PREFIX + "gitlab-";
    /** {@code true} or {@code false}: whether the manager reached GitLab's job API within three check intervals. */
    public static final String REACHABLE = KEY_PREFIX + "reachable";
    /** RFC 3339 time the manager's reachability last changed. */
    public static final String SINCE = KEY_PREFIX + "since";
    /** The last error GitLab (or the network) gave: {@code 503 Service Unavailable}, {@code connect timed out}. */
    public static final String LAST_ERROR = KEY_PREFIX + "last-error";
    /** {@code true} when GitLab refused the runner token (403); job requests stop until it is fixed. */
    public static final String TOKEN_REJECTED = KEY_PREFIX + "token-rejected";
    /** RFC 3339 {@code token_expires_at} from {@code POST /runners/verify}; absent when the token never expires. */
    public static final String TOKEN_EXPIRES_AT = KEY_PREFIX + "token-expires-at";

    /**
     * Set by the manager elected to rotate the token ({@code spec.gitlab.tokenRotation}) while its last rotation
     * failed: what failed (GitLab's answer to the reset, or the Secret write after a reset that GitLab already made),
     * never a token. Absent once a rotation succeeded. The operator turns it into {@code TokenExpiring} with reason
     * {@code RotationFailed}.
     */
    public static final String TOKEN_ROTATION_FAILED = KEY_PREFIX + "token-rotation-failed";
    /** RFC 3339 time the rotation first failed, kept while it fails again. */
    public static final String TOKEN_ROTATION_FAILED_SINCE = KEY_PREFIX + "token-rotation-failed-since";

    /**
     * RFC 3339 time until which the manager asks for no job: {@code unhealthy_requests_limit} job requests failed in
     * a row and it backs off for {@code unhealthy_interval} (gitlab-runner's {@code commands/health_helper.go})
     * instead of exiting and being restarted. Absent while it asks for jobs.
     */
    public static final String BACKOFF_UNTIL = KEY_PREFIX + "backoff-until";
    /** How many job requests failed in a row before the back-off in {@link #BACKOFF_UNTIL}. */
    public static final String BACKOFF_FAILURES = KEY_PREFIX + "backoff-failures";

    /**
     * With {@code spec.executor.capacityAware: quota} or {@code nodes}: why the manager's last job request was skipped, naming the
     * ResourceQuota and the resource without room ({@code quota ci/compute: requests.cpu 2950m of 3 used, a Job Pod
     * needs 1}). Absent when its last check found room. The operator turns it into {@code CapacityLimited}.
     */
    public static final String CAPACITY_LIMITED = KEY_PREFIX + "capacity-limited";

    /**
     * How a {@link #CAPACITY_LIMITED} report found no node with room ({@code capacityAware: nodes}) begins, so the
     * operator tells {@code NodesFull} from {@code QuotaFull} without a second annotation.
     */
    public static final String NODES_LIMITED_PREFIX = "Nodes: ";

    /**
     * Written by the operator (not the manager, so outside {@link #KEY_PREFIX}): {@code true} while the fleet's
     * {@code spec.paused} is; the manager reads it with each renewal and asks for no job while it is set.
     */
    public static final String PAUSED = FleetLabels.PREFIX + "paused";

    private ManagerReport() {}
}
