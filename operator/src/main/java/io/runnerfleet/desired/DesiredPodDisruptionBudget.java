package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.runnerfleet.api.v1alpha1.RunnerFleet;

/**
 * Node drains take managers down one at a time. Jobs survive a manager's restart (another adopts them), so one
 * at a time is enough; zero would block drains forever.
 */
public final class DesiredPodDisruptionBudget {
    private DesiredPodDisruptionBudget() {}

    public static PodDisruptionBudget build(RunnerFleet fleet) {
        ObjectMeta meta = Owners.meta(
                fleet, FleetNames.manager(fleet), fleet.getMetadata().getNamespace(), FleetObjectLabels.manager(fleet));
        return new PodDisruptionBudgetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(FleetObjectLabels.managerSelector(fleet))
                .endSelector()
                .endSpec()
                .build();
    }
}
