package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** The managers' metrics on :9252. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class MetricsServiceDependent extends FleetDependent<Service> implements GarbageCollected<RunnerFleet> {
    MetricsServiceDependent() {
        super(Service.class);
    }

    @Override
    Service pick(FleetObjects objects) {
        return objects.metricsService();
    }
}
