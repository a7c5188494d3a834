package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredWarmCapacity;
import io.runnerfleet.desired.FleetObjects;

/**
 * The pause pods of {@code spec.warmCapacity} ({@link WarmCapacity} builds them each reconciliation). Its informer
 * selects by component, so the manager Deployment's own ReplicaSets (which carry the managed-by label of their pod
 * template) are never taken for it.
 */
@KubernetesDependent(
        informer =
                @Informer(
                        labelSelector = FleetDependent.MANAGED_SELECTOR + ",app.kubernetes.io/component="
                                + DesiredWarmCapacity.COMPONENT))
final class WarmCapacityDependent extends FleetDependent<ReplicaSet> implements GarbageCollected<RunnerFleet> {
    WarmCapacityDependent() {
        super(ReplicaSet.class);
    }

    @Override
    ReplicaSet pick(FleetObjects objects) {
        throw new UnsupportedOperationException("the pause pods are not among FleetObjects");
    }

    @Override
    protected ReplicaSet desired(RunnerFleet fleet, Context<RunnerFleet> context) {
        // Without pause pods JOSDK still asks, to find the ReplicaSet it deletes: its name and namespace are enough.
        return DesiredState.warmPods(context)
                .orElseGet(() -> new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName(DesiredWarmCapacity.name(fleet))
                        .withNamespace(fleet.getMetadata().getNamespace())
                        .endMetadata()
                        .build());
    }

    /** The workflow keeps the ReplicaSet while the fleet wants pause pods and deletes it once it stops. */
    static final class Wanted implements Condition<ReplicaSet, RunnerFleet> {
        @Override
        public boolean isMet(
                DependentResource<ReplicaSet, RunnerFleet> dependent, RunnerFleet fleet, Context<RunnerFleet> context) {
            return DesiredState.warmPods(context).isPresent();
        }
    }
}
