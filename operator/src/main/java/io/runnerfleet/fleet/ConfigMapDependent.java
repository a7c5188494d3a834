package io.runnerfleet.fleet;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.runnerfleet.desired.FleetObjects;

/** The managers' config.toml. */
@KubernetesDependent(informer = @Informer(labelSelector = OwnedDependent.MANAGED_SELECTOR))
final class ConfigMapDependent extends OwnedDependent<ConfigMap> {
    ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    ConfigMap pick(FleetObjects objects) {
        return objects.configMap();
    }
}
