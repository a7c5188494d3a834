package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** The managers' identity. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class ServiceAccountDependent extends FleetDependent<ServiceAccount> implements GarbageCollected<RunnerFleet> {
    ServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    ServiceAccount pick(FleetObjects objects) {
        return objects.serviceAccount();
    }
}
