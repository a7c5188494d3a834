package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.ExecutorNamespace;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The managers' identity and least-privilege access: a ServiceAccount in the fleet namespace, a Role for Job Pods
 * in the executor namespace (which may be another one), and a Role for Leases in the fleet namespace.
 */
public final class DesiredRbac {
    private DesiredRbac() {}

    public static ServiceAccount serviceAccount(RunnerFleet fleet) {
        return new ServiceAccountBuilder()
                .withMetadata(meta(
                        fleet, FleetNames.manager(fleet), fleet.getMetadata().getNamespace()))
                .build();
    }

    /** Role and binding for Job Pods; in the executor namespace, so owned by label when that is not the fleet's. */
    public static Role jobRole(RunnerFleet fleet) {
        List<PolicyRule> rules = new ArrayList<>(ManagerPermissions.JOB_RULES);
        if (fleet.getSpec().executor().capacityAwareOrDefault() != CapacityAware.NONE) {
            rules.addAll(ManagerPermissions.QUOTA_RULES);
        }
        return role(fleet, FleetNames.manager(fleet), ExecutorNamespace.of(fleet), rules);
    }

    public static RoleBinding jobRoleBinding(RunnerFleet fleet) {
        return binding(fleet, FleetNames.manager(fleet), ExecutorNamespace.of(fleet));
    }

    /** Every namespace a fleet's Job Pods may be in: the executor's first, then those jobs may move to. */
    public static Set<String> jobNamespaces(RunnerFleet fleet) {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(ExecutorNamespace.of(fleet));
        namespaces.addAll(overwriteNamespaces(fleet));
        return namespaces;
    }

    /**
     * The namespaces besides the executor's where jobs may put their pods ({@code spec.executor.namespaceOverwrite
     * .allowed}), each once: the managers need the same job Role there.
     */
    public static List<String> overwriteNamespaces(RunnerFleet fleet) {
        String executor = ExecutorNamespace.of(fleet);
        return fleet.getSpec().executor().namespaceOverwriteOrNone().allowed().stream()
                .filter(namespace -> !namespace.equals(executor))
                .distinct()
                .toList();
    }

    /** The job Role in each {@link #overwriteNamespaces}, owned by label as the executor's is. */
    public static List<Role> overwriteJobRoles(RunnerFleet fleet) {
        return overwriteNamespaces(fleet).stream()
                .map(namespace -> role(fleet, FleetNames.manager(fleet), namespace, ManagerPermissions.JOB_RULES))
                .toList();
    }

    public static List<RoleBinding> overwriteJobRoleBindings(RunnerFleet fleet) {
        return overwriteNamespaces(fleet).stream()
                .map(namespace -> binding(fleet, FleetNames.manager(fleet), namespace))
                .toList();
    }

    /** Leases; with {@code spec.gitlab.tokenRotation} also the token Secret, by name (it is in this namespace). */
    public static Role leaseRole(RunnerFleet fleet) {
        List<PolicyRule> rules = new ArrayList<>(ManagerPermissions.LEASE_RULES);
        if (fleet.getSpec().gitlab().tokenRotation() != null) {
            rules.add(ManagerPermissions.tokenSecretRule(
                    fleet.getSpec().gitlab().tokenSecretRef().name()));
        }
        return role(fleet, FleetNames.leaseRole(fleet), fleet.getMetadata().getNamespace(), rules);
    }

    /**
     * The ClusterRole {@link ManagerPermissions#NODE_RULES} for {@code spec.executor.capacityAware: nodes}, or empty in
     * the other modes. Cluster-scoped, so no ownerReference can tie it to the namespaced fleet: the operator finds it
     * by its name, which holds the fleet's namespace and name ({@code fleet.NodeReaderRbac} deletes it when the mode
     * changes and when the fleet is deleted).
     */
    public static Optional<ClusterRole> nodeReader(RunnerFleet fleet) {
        if (!fleet.getSpec().executor().capacityAwareOrDefault().checksNodes()) {
            return Optional.empty();
        }
        return Optional.of(new ClusterRoleBuilder()
                .withMetadata(clusterMeta(fleet))
                .withRules(ManagerPermissions.NODE_RULES)
                .build());
    }

    /** The binding of {@link #nodeReader} to the managers' ServiceAccount, present exactly when it is. */
    public static Optional<ClusterRoleBinding> nodeReaderBinding(RunnerFleet fleet) {
        return nodeReader(fleet)
                .map(role -> new ClusterRoleBindingBuilder()
                        .withMetadata(clusterMeta(fleet))
                        .withNewRoleRef(
                                "rbac.authorization.k8s.io",
                                "ClusterRole",
                                role.getMetadata().getName())
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(FleetNames.manager(fleet))
                        .withNamespace(fleet.getMetadata().getNamespace())
                        .endSubject()
                        .build());
    }

    /**
     * {@code runner-fleet:<namespace>:<fleet>:nodes}: unique across namespaces (neither a namespace nor a fleet name
     * holds a colon, so no two fleets share it, which a dash could not promise), and recognisable as ours.
     */
    public static String nodeReaderName(String namespace, String fleet) {
        return "runner-fleet:" + namespace + ":" + fleet + ":nodes";
    }

    private static ObjectMeta clusterMeta(RunnerFleet fleet) {
        return new ObjectMetaBuilder()
                .withName(nodeReaderName(
                        fleet.getMetadata().getNamespace(), fleet.getMetadata().getName()))
                .withLabels(FleetObjectLabels.common(fleet))
                .build();
    }

    public static RoleBinding leaseRoleBinding(RunnerFleet fleet) {
        return binding(fleet, FleetNames.leaseRole(fleet), fleet.getMetadata().getNamespace());
    }

    private static Role role(RunnerFleet fleet, String name, String namespace, List<PolicyRule> rules) {
        return new RoleBuilder()
                .withMetadata(meta(fleet, name, namespace))
                .withRules(rules)
                .build();
    }

    private static RoleBinding binding(RunnerFleet fleet, String name, String namespace) {
        return new RoleBindingBuilder()
                .withMetadata(meta(fleet, name, namespace))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(FleetNames.manager(fleet))
                .withNamespace(fleet.getMetadata().getNamespace())
                .endSubject()
                .build();
    }

    private static ObjectMeta meta(RunnerFleet fleet, String name, String namespace) {
        return Owners.meta(fleet, name, namespace, FleetObjectLabels.common(fleet));
    }
}
