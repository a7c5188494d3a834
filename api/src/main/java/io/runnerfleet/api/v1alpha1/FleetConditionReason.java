package io.runnerfleet.api.v1alpha1;

/** Why a fleet's condition has its status: the machine-readable {@code reason} of each condition. */
public enum FleetConditionReason {
    /** Ready, Degraded: the spec has a problem the schema cannot catch (Degraded names the field). */
    INVALID_SPEC("InvalidSpec"),
    /** Ready, Degraded: the token Secret or its key is missing (TokenSecretFound says which). */
    TOKEN_SECRET_MISSING("TokenSecretMissing"),
    /** Ready: {@code spec.managers.replicas} is 0. */
    SCALED_TO_ZERO("ScaledToZero"),
    MANAGERS_READY("ManagersReady"),
    MANAGERS_NOT_READY("ManagersNotReady"),
    MANAGERS_NOT_CREATED("ManagersNotCreated"),
    /** Progressing: changes wait until the problem in Degraded is fixed. */
    BLOCKED("Blocked"),
    CREATING("Creating"),
    ROLLING_OUT("RollingOut"),
    ROLLED_OUT("RolledOut"),
    /** Degraded: none of the problems above. */
    AS_EXPECTED("AsExpected"),
    /**
     * Degraded: the spec is valid but the API server refused or failed a write of the fleet's objects (a full
     * Service range, a webhook, a quota on objects); the message has its answer. Retried with back-off.
     */
    APPLY_FAILED("ApplyFailed"),
    SECRET_FOUND("SecretFound"),
    SECRET_NOT_FOUND("SecretNotFound"),
    KEY_NOT_FOUND("KeyNotFound"),
    /** Diagnostics: at least one known misconfiguration, named in the message. */
    MISCONFIGURATION_FOUND("MisconfigurationFound"),
    NONE_FOUND("NoneFound"),
    /** GitLabReachable, AcceptingJobs, TokenExpiring: no live manager has reported yet. */
    NO_MANAGER_REPORT("NoManagerReport"),
    /** GitLabReachable: a manager's last job request was answered. */
    REACHED("Reached"),
    /** GitLabReachable: no manager reached GitLab for three check intervals; the message has the last error. */
    UNREACHABLE("Unreachable"),
    /** AcceptingJobs: GitLab takes the token. */
    TOKEN_ACCEPTED("TokenAccepted"),
    /** AcceptingJobs: GitLab answered 403 to the token. */
    TOKEN_REJECTED("TokenRejected"),
    /**
     * AcceptingJobs: every manager failed {@code unhealthy_requests_limit} job requests in a row and asks for none
     * until its {@code unhealthy_interval} passed; the message has the last error and the time.
     */
    BACKING_OFF("BackingOff"),
    /** AcceptingJobs: {@code spec.paused} is true; the managers ask for no job, running jobs finish. */
    PAUSED("Paused"),
    /** TokenExpiring: the token expires within the warning period. */
    EXPIRES_SOON("ExpiresSoon"),
    /** TokenExpiring: the token expires later than the warning period. */
    NOT_EXPIRING_SOON("NotExpiringSoon"),
    /** TokenExpiring: GitLab gives the token no expiry. */
    NO_EXPIRY("NoExpiry"),
    /**
     * TokenExpiring: with {@code spec.gitlab.tokenRotation}, the elected manager's rotation failed (GitLab refused or
     * failed the reset, or the Secret write after it failed); the message says which and since when.
     */
    ROTATION_FAILED("RotationFailed"),
    /** CapacityLimited: a manager's last job request was skipped because a ResourceQuota has no room left. */
    QUOTA_FULL("QuotaFull"),
    /**
     * CapacityLimited: with {@code capacityAware: nodes}, a manager's last job request was skipped because no
     * schedulable node has room for a Job Pod; the message names the node closest to fitting and what it lacks.
     */
    NODES_FULL("NodesFull"),
    /** CapacityLimited: no reporting manager skips job requests for lack of capacity. */
    CAPACITY_AVAILABLE("CapacityAvailable"),
    /** CapacityLimited: {@code spec.executor.capacityAware} is {@code none}; nothing is checked. */
    CAPACITY_CHECK_OFF("CapacityCheckOff");

    private final String value;

    FleetConditionReason(String value) {
        this.value = value;
    }

    /** As {@code status.conditions[].reason} holds it. */
    public String value() {
        return value;
    }
}
