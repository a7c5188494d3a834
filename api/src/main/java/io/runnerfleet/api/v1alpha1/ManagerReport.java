package io.runnerfleet.api.v1alpha1;

/**
 * What a manager knows of GitLab and only it knows, written as annotations on its own Lease (which it renews anyway,
 * in the fleet's namespace) and read by the operator, which turns the fleet's reports into the conditions
 * GitLabReachable, AcceptingJobs and TokenExpiring. A Lease needs no new permission for either side: managers already
 * update their Leases and the operator already lists them. Values never hold a token; messages are GitLab's error
 * text with tokens redacted.
 */
public final class ManagerReport {
    /** {@code true} or {@code false}: whether the manager reached GitLab's job API within three check intervals. */
    public static final String REACHABLE = FleetLabels.PREFIX + "gitlab-reachable";
    /** RFC 3339 time the manager's reachability last changed. */
    public static final String SINCE = FleetLabels.PREFIX + "gitlab-since";
    /** The last error GitLab (or the network) gave: {@code 503 Service Unavailable}, {@code connect timed out}. */
    public static final String LAST_ERROR = FleetLabels.PREFIX + "gitlab-last-error";
    /** {@code true} when GitLab refused the runner token (403); job requests stop until it is fixed. */
    public static final String TOKEN_REJECTED = FleetLabels.PREFIX + "gitlab-token-rejected";
    /** RFC 3339 {@code token_expires_at} from {@code POST /runners/verify}; absent when the token never expires. */
    public static final String TOKEN_EXPIRES_AT = FleetLabels.PREFIX + "gitlab-token-expires-at";

    private ManagerReport() {}
}
