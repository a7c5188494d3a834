package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.runnerfleet.desired.FleetObjects;

/** The managers' Lease permissions, in the fleet namespace. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedDependent.MANAGED_SELECTOR))
final class LeaseRoleDependent extends OwnedDependent<Role> {
    LeaseRoleDependent() {
        super(Role.class);
    }

    @Override
    Role pick(FleetObjects objects) {
        return objects.leaseRole();
    }
}
