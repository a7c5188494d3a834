package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/**
 * The managers' permissions on Job Pods, their logs, Secrets and events, in the executor namespace. Watched in every namespace (filtered by label), because the executor
 * namespace is any namespace a fleet names, not only the watched ones.
 */
@KubernetesDependent(
        informer =
                @Informer(namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = FleetDependent.MANAGED_SELECTOR))
final class JobRoleDependent extends FleetDependent<Role> implements Deleter<RunnerFleet> {
    JobRoleDependent() {
        super(Role.class);
    }

    @Override
    Role pick(FleetObjects objects) {
        return objects.jobRole();
    }
}
