package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.runnerfleet.desired.FleetObjects;

/** Binds the Lease Role to the managers' ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedDependent.MANAGED_SELECTOR))
final class LeaseRoleBindingDependent extends OwnedDependent<RoleBinding> {
    LeaseRoleBindingDependent() {
        super(RoleBinding.class);
    }

    @Override
    RoleBinding pick(FleetObjects objects) {
        return objects.leaseRoleBinding();
    }
}
