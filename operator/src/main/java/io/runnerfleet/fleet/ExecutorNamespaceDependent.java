package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/**
 * An object in the executor namespace, which may not be the fleet's: Kubernetes forbids ownerReferences across
 * namespaces, so it carries the fleet's labels and JOSDK's primary-name/namespace annotations (how its events find
 * the fleet), and {@link ExecutorRbacJanitor} deletes it when the fleet goes or moves its Job Pods elsewhere.
 */
abstract class ExecutorNamespaceDependent<R extends HasMetadata>
        extends CRUDNoGCKubernetesDependentResource<R, RunnerFleet> {

    ExecutorNamespaceDependent(Class<R> type) {
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
}
