package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/**
 * The budget that keeps drains off running Job Pods (desired.DesiredJobDisruptionBudget), in the executor namespace:
 * watched in every namespace, filtered by label, and deleted like the job Role ({@link ExecutorRbacJanitor}), as no
 * ownerReference reaches across namespaces.
 */
@KubernetesDependent(
        informer =
                @Informer(namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = FleetDependent.MANAGED_SELECTOR))
final class JobDisruptionBudgetDependent extends FleetDependent<PodDisruptionBudget> implements Deleter<RunnerFleet> {
    JobDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    PodDisruptionBudget pick(FleetObjects objects) {
        return objects.jobDisruptionBudget();
    }
}
