package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.Fleets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fleet's Roles and RoleBindings outside its own namespace, kept in the namespaces asked for, deleted elsewhere. */
@EnableKubernetesMockClient(crud = true)
class ExecutorRbacJanitorTest {
    KubernetesClient client;

    private final RunnerFleet fleet = Fleets.seed("fleets", "build-fleet");

    private void rbacIn(String namespace, RunnerFleet owner) {
        client.rbac()
                .roles()
                .resource(new RoleBuilder().withMetadata(meta(namespace, owner)).build())
                .create();
        client.rbac()
                .roleBindings()
                .resource(new RoleBindingBuilder()
                        .withMetadata(meta(namespace, owner))
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "build-fleet-manager")
                        .build())
                .create();
    }

    /** As the operator's dependents leave them: the fleet's label and JOSDK's primary annotations. */
    private static ObjectMeta meta(String namespace, RunnerFleet owner) {
        return new ObjectMetaBuilder()
                .withName("build-fleet-manager")
                .withNamespace(namespace)
                .withLabels(Map.of(FleetLabels.FLEET, "build-fleet"))
                .withAnnotations(Map.of(
                        Mappers.DEFAULT_ANNOTATION_FOR_NAME,
                        owner.getMetadata().getName(),
                        Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE,
                        owner.getMetadata().getNamespace()))
                .build();
    }

    private Set<String> namespacesWithRbac() {
        Set<String> roles = new java.util.TreeSet<>();
        client.rbac()
                .roles()
                .inAnyNamespace()
                .list()
                .getItems()
                .forEach(r -> roles.add(r.getMetadata().getNamespace()));
        Set<String> bindings = new java.util.TreeSet<>();
        client.rbac()
                .roleBindings()
                .inAnyNamespace()
                .list()
                .getItems()
                .forEach(b -> bindings.add(b.getMetadata().getNamespace()));
        assertThat(bindings).isEqualTo(roles);
        return roles;
    }

    @Test
    void keepsEveryNamespaceAskedForAndTheFleetsOwnDeletesTheRest() {
        for (String namespace : Set.of("fleets", "builds-a", "builds-b", "builds-old")) {
            rbacIn(namespace, fleet);
        }

        int deleted = new ExecutorRbacJanitor(client).deleteOutside(fleet, Set.of("builds-a", "builds-b"));

        assertThat(deleted).isEqualTo(2);
        assertThat(namespacesWithRbac()).containsExactly("builds-a", "builds-b", "fleets");
    }

    @Test
    void withNothingToKeepDeletesAllButTheFleetsOwnAndNeverANamesakeFleetsOfAnotherNamespace() {
        rbacIn("builds-a", fleet);
        rbacIn("builds-b", Fleets.seed("other-fleets", "build-fleet"));

        int deleted = new ExecutorRbacJanitor(client).deleteOutside(fleet, Set.of());

        assertThat(deleted).isEqualTo(2);
        assertThat(namespacesWithRbac()).containsExactly("builds-b");
    }

    @Test
    void deletesTheJobDisruptionBudgetLeftInAFormerExecutorNamespace() {
        for (String namespace : Set.of("builds-a", "builds-old")) {
            client.policy()
                    .v1()
                    .podDisruptionBudget()
                    .resource(new PodDisruptionBudgetBuilder()
                            .withMetadata(meta(namespace, fleet))
                            .build())
                    .create();
        }

        int deleted = new ExecutorRbacJanitor(client).deleteOutside(fleet, Set.of("builds-a"));

        assertThat(deleted).isEqualTo(1);
        assertThat(client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .extracting(budget -> budget.getMetadata().getNamespace())
                .containsExactly("builds-a");
    }
}
