package io.runnerfleet.api.v1alpha1;

/** A condition's {@code status}, as the Kubernetes API conventions spell it. */
public enum ConditionStatus {
    TRUE("True"),
    FALSE("False"),
    UNKNOWN("Unknown");

    private final String value;

    ConditionStatus(String value) {
        this.value = value;
    }

    public static ConditionStatus of(boolean status) {
        return status ? TRUE : FALSE;
    }

    /** As {@code status.conditions[].status} holds it. */
    public String value() {
        return value;
    }
}
