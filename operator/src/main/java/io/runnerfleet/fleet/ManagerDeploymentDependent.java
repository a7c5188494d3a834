package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** The managers; replicas and the config hash on the pod template come from the builder. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class ManagerDeploymentDependent extends FleetDependent<Deployment> implements GarbageCollected<RunnerFleet> {
    ManagerDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    Deployment pick(FleetObjects objects) {
        return objects.deployment();
    }
}
