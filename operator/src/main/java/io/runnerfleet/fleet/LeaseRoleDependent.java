package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** The managers' Lease permissions, in the fleet namespace. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class LeaseRoleDependent extends FleetDependent<Role> implements GarbageCollected<RunnerFleet> {
    LeaseRoleDependent() {
        super(Role.class);
    }

    @Override
    Role pick(FleetObjects objects) {
        return objects.leaseRole();
    }
}
