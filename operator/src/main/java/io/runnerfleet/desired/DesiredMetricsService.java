package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.runnerfleet.api.v1alpha1.RunnerFleet;

/** The Service Prometheus scrapes: every manager's :9252, gitlab-runner's metrics port. */
public final class DesiredMetricsService {
    private DesiredMetricsService() {}

    public static Service build(RunnerFleet fleet) {
        ObjectMeta meta = Owners.meta(
                fleet,
                FleetNames.metricsService(fleet),
                fleet.getMetadata().getNamespace(),
                FleetObjectLabels.manager(fleet));
        return new ServiceBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(FleetObjectLabels.managerSelector(fleet))
                .addNewPort()
                .withName(FleetNames.METRICS_PORT_NAME)
                .withProtocol("TCP")
                .withPort(FleetNames.METRICS_PORT)
                .withTargetPort(new IntOrString(FleetNames.METRICS_PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }
}
