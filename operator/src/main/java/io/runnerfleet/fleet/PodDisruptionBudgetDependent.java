package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** Drains take managers down one at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class PodDisruptionBudgetDependent extends FleetDependent<PodDisruptionBudget>
        implements GarbageCollected<RunnerFleet> {
    PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    PodDisruptionBudget pick(FleetObjects objects) {
        return objects.podDisruptionBudget();
    }
}
