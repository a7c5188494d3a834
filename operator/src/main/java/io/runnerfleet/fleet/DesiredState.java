package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import java.util.Optional;

/**
 * Hands the fleet's desired objects, built once per reconciliation by the pure builders, to the dependents. One
 * typed accessor instead of string keys scattered over the dependents.
 */
final class DesiredState {
    private static final String KEY = DesiredState.class.getName();
    private static final String WARM_KEY = KEY + ".warm";

    private DesiredState() {}

    static void put(Context<RunnerFleet> context, FleetObjects objects) {
        context.managedWorkflowAndDependentResourceContext().put(KEY, objects);
    }

    /** The pause pods' ReplicaSet of {@code spec.warmCapacity}; none: the fleet has none (or it cannot be built). */
    static void putWarmPods(Context<RunnerFleet> context, ReplicaSet warmPods) {
        context.managedWorkflowAndDependentResourceContext().put(WARM_KEY, warmPods);
    }

    static Optional<ReplicaSet> warmPods(Context<RunnerFleet> context) {
        return context.managedWorkflowAndDependentResourceContext().get(WARM_KEY, ReplicaSet.class);
    }

    static FleetObjects of(Context<RunnerFleet> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, FleetObjects.class);
    }
}
