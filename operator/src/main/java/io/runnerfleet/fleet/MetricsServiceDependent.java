package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.Service;
import io.runnerfleet.desired.FleetObjects;

/** The managers' metrics on :9252. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedDependent.MANAGED_SELECTOR))
final class MetricsServiceDependent extends OwnedDependent<Service> {
    MetricsServiceDependent() {
        super(Service.class);
    }

    @Override
    Service pick(FleetObjects objects) {
        return objects.metricsService();
    }
}
