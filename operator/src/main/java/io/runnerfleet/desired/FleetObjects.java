package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator keeps for one fleet, built at once from the fleet alone. What {@code render} prints. */
public record FleetObjects(
        ConfigMap configMap,
        ServiceAccount serviceAccount,
        Role jobRole,
        RoleBinding jobRoleBinding,
        List<Role> overwriteJobRoles,
        List<RoleBinding> overwriteJobRoleBindings,
        Role leaseRole,
        RoleBinding leaseRoleBinding,
        Deployment deployment,
        Service metricsService,
        PodDisruptionBudget podDisruptionBudget,
        PodDisruptionBudget jobDisruptionBudget,
        List<HasMetadata> nodeReader) {

    public static FleetObjects of(RunnerFleet fleet, OperatorDefaults defaults) {
        ConfigMap configMap = DesiredConfigMap.build(fleet);
        String hash = ConfigHash.of(configMap.getData().get(FleetNames.CONFIG_KEY));
        return new FleetObjects(
                configMap,
                DesiredRbac.serviceAccount(fleet),
                DesiredRbac.jobRole(fleet),
                DesiredRbac.jobRoleBinding(fleet),
                DesiredRbac.overwriteJobRoles(fleet),
                DesiredRbac.overwriteJobRoleBindings(fleet),
                DesiredRbac.leaseRole(fleet),
                DesiredRbac.leaseRoleBinding(fleet),
                DesiredManagerDeployment.build(fleet, hash, defaults),
                DesiredMetricsService.build(fleet),
                DesiredPodDisruptionBudget.build(fleet),
                DesiredJobDisruptionBudget.build(fleet),
                nodeReader(fleet));
    }

    /** With {@code capacityAware: nodes}, the managers' cluster-wide ClusterRole and its binding; else none. */
    private static List<HasMetadata> nodeReader(RunnerFleet fleet) {
        List<HasMetadata> objects = new ArrayList<>();
        DesiredRbac.nodeReader(fleet).ifPresent(objects::add);
        DesiredRbac.nodeReaderBinding(fleet).ifPresent(objects::add);
        return List.copyOf(objects);
    }

    /** In the order {@code kubectl apply} needs them: config and identity before the pods that use them. */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>(List.of(configMap, serviceAccount, jobRole, jobRoleBinding));
        // The job RBAC of each namespace a job may move to (spec.executor.namespaceOverwrite.allowed).
        for (int i = 0; i < overwriteJobRoles.size(); i++) {
            all.add(overwriteJobRoles.get(i));
            all.add(overwriteJobRoleBindings.get(i));
        }
        all.addAll(List.of(
                leaseRole, leaseRoleBinding, deployment, metricsService, podDisruptionBudget, jobDisruptionBudget));
        all.addAll(nodeReader);
        return all;
    }
}
