package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the Roles, RoleBindings and the Job Pods' PodDisruptionBudget a fleet has in namespaces other than its own, which no ownerReference (and so
 * no garbage collector) covers: all of them when the fleet is deleted, the stale ones when its executor namespace
 * moved. They are found by the fleet's label and JOSDK's primary annotations, so a namesake fleet of another
 * namespace keeps its own.
 */
final class ExecutorRbacJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRbacJanitor.class);

    private final KubernetesClient client;

    ExecutorRbacJanitor(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Deletes the fleet's cross-namespace RBAC outside {@code keepNamespaces} (empty: everywhere). A set, so the job
     * RBAC of several namespaces (the executor's and, once supported, those a job may move to with
     * {@code KUBERNETES_NAMESPACE_OVERWRITE}) survives together.
     */
    int deleteOutside(RunnerFleet fleet, Set<String> keepNamespaces) {
        List<HasMetadata> stale = new ArrayList<>();
        String name = fleet.getMetadata().getName();
        stale.addAll(client.rbac()
                .roles()
                .inAnyNamespace()
                .withLabel(FleetLabels.FLEET, name)
                .list()
                .getItems());
        stale.addAll(client.rbac()
                .roleBindings()
                .inAnyNamespace()
                .withLabel(FleetLabels.FLEET, name)
                .list()
                .getItems());
        // The Job Pods' disruption budget (JobDisruptionBudgetDependent) lives where the job Role does.
        stale.addAll(client.policy()
                .v1()
                .podDisruptionBudget()
                .inAnyNamespace()
                .withLabel(FleetLabels.FLEET, name)
                .list()
                .getItems());
        int deleted = 0;
        for (HasMetadata object : stale) {
            String namespace = object.getMetadata().getNamespace();
            if (belongsTo(object, fleet)
                    && !namespace.equals(fleet.getMetadata().getNamespace())
                    && !keepNamespaces.contains(namespace)) {
                client.resource(object).delete();
                LOG.info(
                        "deleted {} {}/{}",
                        object.getKind(),
                        namespace,
                        object.getMetadata().getName());
                deleted++;
            }
        }
        return deleted;
    }

    private static boolean belongsTo(HasMetadata object, RunnerFleet fleet) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations != null
                && Objects.equals(
                        annotations.get(Mappers.DEFAULT_ANNOTATION_FOR_NAME),
                        fleet.getMetadata().getName())
                && Objects.equals(
                        annotations.get(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE),
                        fleet.getMetadata().getNamespace());
    }
}
