package io.runnerfleet.api.v1alpha1;

/** Label and annotation keys that tell fleet objects, manager pods and Job Pods apart (docs/job-pod.md). */
public final class FleetLabels {
    public static final String PREFIX = "runnerfleet.io/";
    public static final String FLEET = PREFIX + "fleet";
    public static final String JOB_ID = PREFIX + "job-id";
    public static final String MANAGER = PREFIX + "manager";
    public static final String CONFIG_HASH = PREFIX + "config-hash";
    /**
     * On a Job Pod while it may not be evicted ({@code spec.executor.disruption}): the fleet's job
     * PodDisruptionBudget selects it; taking it off (past {@code maxWait}) lets a drain evict the pod.
     */
    public static final String DISRUPTION_PROTECTED = PREFIX + "disruption-protected";
    /** The cluster-autoscaler's: {@code "false"} keeps it from scaling down the node under a running Job Pod. */
    public static final String SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";

    public static final String APP_NAME = "app.kubernetes.io/name";
    public static final String APP_INSTANCE = "app.kubernetes.io/instance";
    public static final String APP_COMPONENT = "app.kubernetes.io/component";
    public static final String APP_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String APP_PART_OF = "app.kubernetes.io/part-of";

    public static final String NAME_VALUE = "runner-fleet";
    public static final String MANAGED_BY_VALUE = "runner-fleet-operator";
    public static final String COMPONENT_MANAGER = "manager";
    public static final String COMPONENT_JOB = "job";

    private FleetLabels() {}
}
