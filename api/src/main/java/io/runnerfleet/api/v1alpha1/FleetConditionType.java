package io.runnerfleet.api.v1alpha1;

/** The conditions a fleet's status carries, by their {@code type} as the API shows it. */
public enum FleetConditionType {
    /** The managers are ready and take jobs. */
    READY("Ready"),
    /** The managers are being created or rolled out to the current config. */
    PROGRESSING("Progressing"),
    /** The spec cannot be applied or the token is missing; nothing of the fleet is changed meanwhile. */
    DEGRADED("Degraded"),
    /** The Secret and key {@code spec.gitlab.tokenSecretRef} name exist. */
    TOKEN_SECRET_FOUND("TokenSecretFound"),
    /** A known misconfiguration is present; the message says what {@code runner-fleet explain} says. */
    DIAGNOSTICS("Diagnostics"),
    /**
     * A manager reached GitLab's job API lately (as the managers report on their Leases); False names the last error
     * when none did for three check intervals, Unknown while no manager has reported.
     */
    GITLAB_REACHABLE("GitLabReachable"),
    /** GitLab accepts the runner token: False when it refused it (403) to every reporting manager. */
    ACCEPTING_JOBS("AcceptingJobs"),
    /** The runner token expires within the warning period (7 days); the message gives the date. */
    TOKEN_EXPIRING("TokenExpiring"),
    /**
     * With {@code spec.executor.capacityAware: quota}, a reporting manager left jobs to other runners lately because
     * a ResourceQuota of the executor namespace has no room for one more Job Pod; the message names the quota.
     */
    CAPACITY_LIMITED("CapacityLimited");

    private final String value;

    FleetConditionType(String value) {
        this.value = value;
    }

    /** As {@code status.conditions[].type} holds it. */
    public String value() {
        return value;
    }
}
