package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/**
 * Hands the fleet's desired objects, built once per reconciliation by the pure builders, to the dependents. One
 * typed accessor instead of string keys scattered over the dependents.
 */
final class DesiredState {
    private static final String KEY = DesiredState.class.getName();

    private DesiredState() {}

    static void put(Context<RunnerFleet> context, FleetObjects objects) {
        context.managedWorkflowAndDependentResourceContext().put(KEY, objects);
    }

    static FleetObjects of(Context<RunnerFleet> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, FleetObjects.class);
    }
}
