package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.testing.Fleets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege: the managers' Roles grant exactly the verbs the manager needs, nothing cluster-wide, no wildcard.
 *
 * <p>The verb sets themselves are checked against the manager's real calls by
 * {@code io.runnerfleet.manager.ManagerCallsRbacTest}; this test checks the Roles carry exactly those rules.
 */
class ManagerRbacTest {
    private static final OperatorDefaults DEFAULTS = new OperatorDefaults("img:1");

    @Test
    void jobRoleGrantsExactlyWhatTheManagerNeedsForJobPods() {
        Role role = FleetObjects.of(Fleets.seed("ci"), DEFAULTS).jobRole();

        assertThat(verbsByResource(role.getRules()))
                .isEqualTo(Map.of(
                        "/pods", Set.of("get", "list", "watch", "create", "update", "delete"),
                        "/pods/log", Set.of("get"),
                        "/pods/exec", Set.of("create", "get"),
                        "/secrets", Set.of("get", "list", "create", "update", "patch", "delete"),
                        "/events", Set.of("list"),
                        "/resourcequotas", Set.of("list", "watch")));
        assertThat(role.getRules())
                .isEqualTo(java.util.stream.Stream.concat(
                                ManagerPermissions.JOB_RULES.stream(), ManagerPermissions.QUOTA_RULES.stream())
                        .toList());
    }

    @Test
    void jobRoleGrantsNoResourceQuotasWhenTheFleetChecksNoCapacity() {
        Role role = FleetObjects.of(Fleets.with(Fleets.seed("ci"), "spec.executor.capacityAware", "none"), DEFAULTS)
                .jobRole();

        assertThat(role.getRules()).isEqualTo(ManagerPermissions.JOB_RULES);
    }

    /** capacityAware: nodes (docs/capacity.md): a ClusterRole reading nodes and pods, bound to the managers. */
    @Test
    void onlyCapacityAwareNodesGetsAClusterRoleReadingNodesAndPodsBoundToTheManagers() {
        FleetObjects nodes =
                FleetObjects.of(Fleets.with(Fleets.seed("ci"), "spec.executor.capacityAware", "nodes"), DEFAULTS);
        assertThat(nodes.nodeReader()).hasSize(2);
        ClusterRole role = (ClusterRole) nodes.nodeReader().get(0);
        ClusterRoleBinding binding = (ClusterRoleBinding) nodes.nodeReader().get(1);
        assertThat(role.getMetadata().getName()).isEqualTo("runner-fleet:ci:build-fleet:nodes");
        assertThat(role.getMetadata().getOwnerReferences())
                .as("cluster-scoped: no namespaced owner")
                .isEmpty();
        assertThat(verbsByResource(role.getRules()))
                .isEqualTo(Map.of("/nodes", Set.of("get", "list", "watch"), "/pods", Set.of("list", "watch")));
        assertThat(role.getRules()).isEqualTo(ManagerPermissions.NODE_RULES);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getNamespace()).isEqualTo("ci");
            assertThat(subject.getName())
                    .isEqualTo(nodes.serviceAccount().getMetadata().getName());
        });
        // The quota check stays: a Job Pod must fit both.
        assertThat(nodes.jobRole().getRules()).containsAll(ManagerPermissions.QUOTA_RULES);
        assertThat(nodes.all()).contains(role, binding);

        assertThat(FleetObjects.of(Fleets.seed("ci"), DEFAULTS).nodeReader()).isEmpty();
        assertThat(FleetObjects.of(Fleets.with(Fleets.seed("ci"), "spec.executor.capacityAware", "none"), DEFAULTS)
                        .nodeReader())
                .isEmpty();
    }

    @Test
    void leaseRoleGrantsOnlyLeasesInTheFleetNamespaceWithoutTokenRotation() {
        Role role = FleetObjects.of(Fleets.with(Fleets.seed("ci"), "spec.gitlab.tokenRotation", null), DEFAULTS)
                .leaseRole();

        assertThat(role.getMetadata().getNamespace()).isEqualTo("ci");
        assertThat(verbsByResource(role.getRules()))
                .isEqualTo(Map.of(
                        "coordination.k8s.io/leases",
                        Set.of("get", "list", "create", "update", "delete"),
                        // Each manager's own pod-deletion-cost (manager.DeletionCost).
                        "/pods",
                        Set.of("get", "patch")));
        assertThat(role.getRules()).isEqualTo(ManagerPermissions.LEASE_RULES);
    }

    @Test
    void withTokenRotationTheLeaseRoleAlsoGetsAndUpdatesTheTokenSecretAndNoOtherSecret() {
        Role role = FleetObjects.of(Fleets.seed("ci"), DEFAULTS).leaseRole();

        assertThat(verbsByResource(role.getRules()))
                .isEqualTo(Map.of(
                        "coordination.k8s.io/leases",
                        Set.of("get", "list", "create", "update", "delete"),
                        "/pods",
                        Set.of("get", "patch"),
                        "/secrets",
                        Set.of("get", "update")));
        assertThat(role.getRules())
                .filteredOn(rule -> rule.getResources().contains("secrets"))
                .singleElement()
                .satisfies(rule -> assertThat(rule.getResourceNames()).containsExactly("build-fleet-token"));
    }

    @Test
    void noWildcardsAndNoResourceNamesLeftOpen() {
        FleetObjects objects = FleetObjects.of(Fleets.seed("ci"), DEFAULTS);
        for (Role role : List.of(objects.jobRole(), objects.leaseRole())) {
            assertThat(role.getRules()).allSatisfy(rule -> {
                assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
                assertThat(rule.getResources()).doesNotContain("*");
                assertThat(rule.getApiGroups()).doesNotContain("*");
            });
        }
    }

    @Test
    void jobRoleAndBindingFollowTheExecutorNamespace() {
        FleetObjects objects =
                FleetObjects.of(Fleets.with(Fleets.seed("ci"), "spec.executor.namespace", "jobs"), DEFAULTS);

        assertThat(objects.jobRole().getMetadata().getNamespace()).isEqualTo("jobs");
        assertThat(objects.jobRoleBinding().getMetadata().getNamespace()).isEqualTo("jobs");
        assertThat(objects.jobRoleBinding().getSubjects())
                .singleElement()
                .satisfies(s -> assertThat(s.getNamespace()).isEqualTo("ci"));
        assertThat(objects.leaseRole().getMetadata().getNamespace()).isEqualTo("ci");
    }

    @Test
    void theSameJobRoleAndBindingInEachNamespaceJobsMayMoveToAndNowhereElse() {
        FleetObjects objects = FleetObjects.of(
                Fleets.with(
                        Fleets.with(Fleets.seed("ci"), "spec.executor.namespace", "jobs"),
                        "spec.executor.namespaceOverwrite",
                        Map.of("allowed", List.of("review", "jobs", "perf", "review"))),
                DEFAULTS);

        // The executor's namespace is the dependents' and a repeated name counts once.
        assertThat(objects.overwriteJobRoles())
                .extracting(r -> r.getMetadata().getNamespace())
                .containsExactly("review", "perf");
        assertThat(objects.overwriteJobRoleBindings())
                .extracting(b -> b.getMetadata().getNamespace())
                .containsExactly("review", "perf");
        assertThat(objects.overwriteJobRoles())
                .allSatisfy(r -> assertThat(r.getRules()).isEqualTo(ManagerPermissions.JOB_RULES));
        assertThat(objects.overwriteJobRoleBindings())
                .allSatisfy(b -> assertThat(b.getSubjects())
                        .singleElement()
                        .satisfies(s -> assertThat(s.getNamespace()).isEqualTo("ci")));
        assertThat(FleetObjects.of(Fleets.seed("ci"), DEFAULTS).overwriteJobRoles())
                .isEmpty();
    }

    private static Map<String, Set<String>> verbsByResource(List<PolicyRule> rules) {
        Map<String, Set<String>> verbs = new TreeMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    verbs.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>())
                            .addAll(rule.getVerbs());
                }
            }
        }
        return verbs;
    }
}
