package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** Binds the Lease Role to the managers' ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class LeaseRoleBindingDependent extends FleetDependent<RoleBinding> implements GarbageCollected<RunnerFleet> {
    LeaseRoleBindingDependent() {
        super(RoleBinding.class);
    }

    @Override
    RoleBinding pick(FleetObjects objects) {
        return objects.leaseRoleBinding();
    }
}
