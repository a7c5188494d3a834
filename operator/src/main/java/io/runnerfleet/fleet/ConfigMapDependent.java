package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;

/** The managers' config.toml. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetDependent.MANAGED_SELECTOR))
final class ConfigMapDependent extends FleetDependent<ConfigMap> implements GarbageCollected<RunnerFleet> {
    ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    ConfigMap pick(FleetObjects objects) {
        return objects.configMap();
    }
}
