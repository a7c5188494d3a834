package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/**
 * Exactly what a manager may do, and nothing more. The Role builder writes these rules; the manager's Kubernetes
 * calls are checked against the same constants, so the two cannot drift apart unnoticed.
 */
public final class ManagerPermissions {
    /**
     * In the executor namespace: run Job Pods (update: the compare-and-swap that adopts a dead peer's pod), read
     * their logs and Warning events, keep each job's Secret (patch: make it owned by its pod; list and update: find
     * and claim, by the same compare-and-swap, the record of a job whose manager died before making its pod,
     * manager.PodlessJobs). {@code pods/exec}
     * (create; get for API servers that still authorize a WebSocket upgrade as get) only reads the build's log file
     * in the helper when the kubelet's log has a gap (manager.trace.KubernetesLogFiles): gitlab-runner's executor
     * needs it for everything, a manager only there.
     */
    public static final List<PolicyRule> JOB_RULES = List.of(
            rule("", "pods", "get", "list", "watch", "create", "update", "delete"),
            rule("", "pods/log", "get"),
            rule("", "pods/exec", "create", "get"),
            rule("", "secrets", "get", "list", "create", "update", "patch", "delete"),
            rule("", "events", "list"));

    /**
     * In the executor namespace, unless {@code spec.executor.capacityAware: none}: the ResourceQuotas a manager
     * watches to ask for a job only when a Job Pod fits ({@code manager.CapacityGate}); an informer, so list and watch.
     */
    public static final List<PolicyRule> QUOTA_RULES = List.of(rule("", "resourcequotas", "list", "watch"));

    /**
     * Cluster-wide, only with {@code spec.executor.capacityAware: nodes} (a ClusterRole, {@link DesiredRbac#nodeReader}):
     * the Nodes and every namespace's pods a manager watches to ask for a job only when some node has room for a Job
     * Pod ({@code manager.NodeWatch}). Informers list and watch; get on nodes for a look-up by name.
     */
    public static final List<PolicyRule> NODE_RULES =
            List.of(rule("", "nodes", "get", "list", "watch"), rule("", "pods", "list", "watch"));

    /** In the fleet namespace: the managers' Leases, through which they find dead peers and adopt their jobs. */
    public static final List<PolicyRule> LEASE_RULES = List.of(
            rule("coordination.k8s.io", "leases", "get", "list", "create", "update", "delete"),
            // Each manager's pod-deletion-cost on its own pod (manager.DeletionCost): fabric8's merge patch reads
            // the pod first. The Deployment's pod names are not known ahead, so resourceNames cannot narrow it to
            // the manager's own; pod specs hold no secret (the token is a mounted Secret).
            rule("", "pods", "get", "patch"));

    /**
     * In the fleet namespace, only with {@code spec.gitlab.tokenRotation}: the elected manager reads the token Secret
     * (its resourceVersion, and whether a peer rotated already) and updates it with the new token. Limited to that
     * one Secret by {@code resourceNames}; no create, list or watch (which resourceNames cannot limit).
     */
    public static final List<String> TOKEN_SECRET_VERBS = List.of("get", "update");

    private ManagerPermissions() {}

    /** {@link #TOKEN_SECRET_VERBS} on the Secret named {@code secretName} and no other. */
    public static PolicyRule tokenSecretRule(String secretName) {
        return new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("secrets")
                .withResourceNames(secretName)
                .withVerbs(TOKEN_SECRET_VERBS)
                .build();
    }

    private static PolicyRule rule(String apiGroup, String resource, String... verbs) {
        return new PolicyRuleBuilder()
                .withApiGroups(apiGroup)
                .withResources(resource)
                .withVerbs(verbs)
                .build();
    }
}
