package io.runnerfleet.fleet;

/** Why the operator tells a human about a fleet: the reason and type of every Kubernetes Event it emits. */
public enum FleetEventReason {
    CREATED("Created", Type.NORMAL),
    SCALED("Scaled", Type.NORMAL),
    CONFIG_CHANGED("ConfigChanged", Type.NORMAL),
    INVALID_SPEC("InvalidSpec", Type.WARNING),
    TOKEN_SECRET_MISSING("TokenSecretMissing", Type.WARNING),
    /** Degraded turned to reason ApplyFailed: a write of the fleet's objects failed (retried with back-off). */
    APPLY_FAILED("ApplyFailed", Type.WARNING),
    /** A namespace of spec.executor.namespaceOverwrite.allowed does not exist (the rest of the fleet runs). */
    NAMESPACE_MISSING("NamespaceMissing", Type.WARNING),
    /** GitLabReachable turned False. */
    GITLAB_UNREACHABLE("GitLabUnreachable", Type.WARNING),
    /** GitLabReachable turned True again after being False. */
    GITLAB_REACHABLE("GitLabReachable", Type.NORMAL),
    /** AcceptingJobs turned False because GitLab refuses the token. */
    TOKEN_REJECTED("TokenRejected", Type.WARNING),
    /** AcceptingJobs turned False because every manager backs off after failed job requests. */
    BACKING_OFF("BackingOff", Type.WARNING),
    /** AcceptingJobs turned False because spec.paused is true: asked for, so Normal. */
    PAUSED("Paused", Type.NORMAL),
    /** TokenExpiring turned True. */
    TOKEN_EXPIRING("TokenExpiring", Type.WARNING),
    /** TokenExpiring turned to reason RotationFailed: the managers could not rotate the token. */
    TOKEN_ROTATION_FAILED("TokenRotationFailed", Type.WARNING);

    public enum Type {
        NORMAL("Normal"),
        WARNING("Warning");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    private final String reason;
    private final Type type;

    FleetEventReason(String reason, Type type) {
        this.reason = reason;
        this.type = type;
    }

    /** The Event's {@code reason}, CamelCase as {@code kubectl get events} shows it. */
    public String reason() {
        return reason;
    }

    public Type type() {
        return type;
    }
}
