package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.config.ConfigTomlWriter;
import java.util.Map;

/** The managers' config.toml in a ConfigMap. It holds no token, so a ConfigMap (not a Secret) is right. */
public final class DesiredConfigMap {
    private DesiredConfigMap() {}

    public static String configToml(RunnerFleet fleet) {
        return ConfigTomlWriter.write(ManagerConfigBuilder.build(fleet));
    }

    public static ConfigMap build(RunnerFleet fleet) {
        ObjectMeta meta = Owners.meta(
                fleet,
                FleetNames.configMap(fleet),
                fleet.getMetadata().getNamespace(),
                FleetObjectLabels.common(fleet));
        return new ConfigMapBuilder()
                .withMetadata(meta)
                .withData(Map.of(FleetNames.CONFIG_KEY, configToml(fleet)))
                .build();
    }
}
