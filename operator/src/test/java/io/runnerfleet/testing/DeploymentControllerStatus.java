package io.runnerfleet.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status the Deployment controller writes once a rollout has updated every replica and {@code ready} of them are
 * ready (and available, minReadySeconds being 0): {@code observedGeneration} is the spec's generation, the replica
 * counts, and the conditions {@code Available} (enough replicas available for the rolling update's
 * {@code maxUnavailable}) and {@code Progressing} ({@code NewReplicaSetAvailable} when complete, else
 * {@code ReplicaSetUpdated}). As the controller does, a condition whose status is unchanged keeps its
 * {@code lastTransitionTime}.
 */
public final class DeploymentControllerStatus {
    private DeploymentControllerStatus() {}

    public static DeploymentStatus of(Deployment deployment, int ready) {
        int replicas = deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        boolean available = ready >= replicas - maxUnavailable(deployment, replicas);
        boolean complete = ready >= replicas;
        List<DeploymentCondition> previous =
                deployment.getStatus() == null || deployment.getStatus().getConditions() == null
                        ? List.of()
                        : deployment.getStatus().getConditions();
        List<DeploymentCondition> conditions = new ArrayList<>();
        conditions.add(condition(
                previous,
                "Available",
                available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                now));
        String replicaSet = deployment.getMetadata().getName();
        conditions.add(condition(
                previous,
                "Progressing",
                "True",
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete
                        ? "ReplicaSet \"" + replicaSet + "\" has successfully progressed."
                        : "ReplicaSet \"" + replicaSet + "\" is progressing.",
                now));
        return new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUnavailableReplicas(replicas - ready > 0 ? replicas - ready : null)
                .withConditions(conditions)
                .build();
    }

    private static DeploymentCondition condition(
            List<DeploymentCondition> previous, String type, String status, String reason, String message, String now) {
        String transition = previous.stream()
                .filter(c -> type.equals(c.getType()) && Objects.equals(status, c.getStatus()))
                .map(DeploymentCondition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(now);
        return new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastUpdateTime(now)
                .withLastTransitionTime(transition)
                .build();
    }

    /** The rolling update's maxUnavailable as a count (a percentage rounds down, as Kubernetes does); default 25%. */
    private static int maxUnavailable(Deployment deployment, int replicas) {
        IntOrString value = deployment.getSpec().getStrategy() == null
                        || deployment.getSpec().getStrategy().getRollingUpdate() == null
                ? null
                : deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
        if (deployment.getSpec().getStrategy() != null
                && "Recreate".equals(deployment.getSpec().getStrategy().getType())) {
            return replicas;
        }
        if (value == null) {
            return replicas / 4;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        return text.endsWith("%")
                ? replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100
                : Integer.parseInt(text);
    }
}
