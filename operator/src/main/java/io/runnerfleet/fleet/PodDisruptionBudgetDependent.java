package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.runnerfleet.desired.FleetObjects;

/** Drains take managers down one at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedDependent.MANAGED_SELECTOR))
final class PodDisruptionBudgetDependent extends OwnedDependent<PodDisruptionBudget> {
    PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    PodDisruptionBudget pick(FleetObjects objects) {
        return objects.podDisruptionBudget();
    }
}
