package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.runnerfleet.desired.FleetObjects;

/** The managers' identity. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedDependent.MANAGED_SELECTOR))
final class ServiceAccountDependent extends OwnedDependent<ServiceAccount> {
    ServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    ServiceAccount pick(FleetObjects objects) {
        return objects.serviceAccount();
    }
}
