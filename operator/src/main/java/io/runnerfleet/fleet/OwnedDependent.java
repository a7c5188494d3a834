package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/**
 * An object in the fleet's own namespace: the builders give it an ownerReference, so Kubernetes' garbage collector
 * deletes it with the fleet. Subclasses only pick their object out of {@link FleetObjects}.
 */
abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, RunnerFleet> {
    /** Informers cache only what this operator manages, not every ConfigMap of the cluster. */
    static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=runner-fleet-operator";

    OwnedDependent(Class<R> type) {
        super(type);
    }

    abstract R pick(FleetObjects objects);

    @Override
    protected final R desired(RunnerFleet fleet, Context<RunnerFleet> context) {
        return pick(DesiredState.of(context));
    }

    @Override
    public Result<R> match(R actual, RunnerFleet fleet, Context<RunnerFleet> context) {
        R desired = desired(fleet, context);
        return Result.computed(DesiredStateMatcher.matches(desired, actual), desired);
    }

    /** The builders already set the ownerReference (Owners); a second one would duplicate it. */
    @Override
    protected boolean addOwnerReference() {
        return false;
    }
}
