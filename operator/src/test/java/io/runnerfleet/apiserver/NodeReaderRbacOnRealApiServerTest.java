package io.runnerfleet.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code spec.executor.capacityAware: nodes} (docs/capacity.md): the ClusterRole and ClusterRoleBinding the operator
 * creates for the managers ({@code FleetObjects.nodeReader}), judged by the real API server's RBAC authorizer: the
 * manager's cluster-wide watches of nodes and pods ({@code manager.NodeWatch}, with its field selector) are allowed,
 * and nothing more cluster-wide is.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class NodeReaderRbacOnRealApiServerTest {
    private static KubernetesClient admin;
    private static KubernetesClient manager;
    private static String fleetNamespace;
    private static String otherNamespace;

    @BeforeAll
    static void createTheFleetsRbac(RealApiServer server) {
        admin = server.admin();
        fleetNamespace = server.createNamespace("nodesfleet");
        otherNamespace = server.createNamespace("nodesother");
        RunnerFleet fleet = Fleets.with(Fleets.seed(fleetNamespace), "spec.executor.capacityAware", "nodes");
        FleetObjects objects = FleetObjects.of(fleet, OperatorDefaults.forThisBuild());
        List<HasMetadata> rbac = new ArrayList<>(List.of(objects.serviceAccount()));
        rbac.addAll(objects.nodeReader());
        assertThat(objects.nodeReader()).hasSize(2);
        for (HasMetadata object : rbac) {
            admin.resource(object).create();
        }
        manager = server.asServiceAccount(
                fleetNamespace, objects.serviceAccount().getMetadata().getName());
    }

    @AfterAll
    static void closeTheManagersClient() {
        if (manager != null) {
            manager.close();
        }
    }

    static Stream<String[]> managerCalls() {
        return rules(ManagerPermissions.NODE_RULES);
    }

    private static Stream<String[]> rules(List<PolicyRule> rules) {
        return rules.stream()
                .flatMap(rule -> rule.getResources().stream()
                        .flatMap(resource -> rule.getVerbs().stream().map(verb -> new String[] {resource, verb})));
    }

    /** Cluster-wide: writes on nodes, and on pods anything but reading their requests. */
    static Stream<String[]> forbiddenCalls() {
        return Stream.of(
                new String[] {"nodes", "update"},
                new String[] {"nodes", "patch"},
                new String[] {"nodes", "delete"},
                new String[] {"nodes", "create"},
                new String[] {"nodes/proxy", "get"},
                new String[] {"pods", "create"},
                new String[] {"pods", "delete"},
                new String[] {"pods", "update"},
                new String[] {"pods", "patch"},
                new String[] {"pods/log", "get"},
                new String[] {"pods/exec", "create"},
                new String[] {"secrets", "list"},
                new String[] {"secrets", "get"},
                new String[] {"configmaps", "list"},
                new String[] {"namespaces", "list"});
    }

    @ParameterizedTest(name = "allowed cluster-wide: {1} {0}")
    @MethodSource("managerCalls")
    void everyCallTheNodeCheckMakesIsAllowedClusterWide(String resource, String verb) {
        assertThat(allowed(resource, verb, null)).as(verb + " " + resource).isTrue();
        // And so in any namespace: a cluster-wide grant.
        if (resource.equals("pods")) {
            assertThat(allowed(resource, verb, otherNamespace)).isTrue();
        }
    }

    @ParameterizedTest(name = "forbidden cluster-wide: {1} {0}")
    @MethodSource("forbiddenCalls")
    void nothingElseIsAllowedClusterWide(String resource, String verb) {
        assertThat(allowed(resource, verb, null)).as(verb + " " + resource).isFalse();
    }

    /** The manager's real calls: the nodes, and every namespace's non-terminated pods by field selector. */
    @Test
    void theNodeChecksRealListsAndWatchesSucceedAndAGetOfAPodDoesNot() {
        Node node = admin.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("rbac-test-node")
                        .endMetadata()
                        .build())
                .create();
        try {
            assertThat(manager.nodes().list().getItems())
                    .extracting(n -> n.getMetadata().getName())
                    .contains("rbac-test-node");
            assertThat(manager.nodes().withName("rbac-test-node").get()).isNotNull();
            assertThat(manager.pods()
                            .inAnyNamespace()
                            .withoutField("status.phase", "Succeeded")
                            .withoutField("status.phase", "Failed")
                            .list()
                            .getItems())
                    .isNotNull();
            try (Watch nodes = manager.nodes().watch(ignoring());
                    Watch pods = manager.pods()
                            .inAnyNamespace()
                            .withoutField("status.phase", "Succeeded")
                            .withoutField("status.phase", "Failed")
                            .watch(ignoring())) {
                assertThat(nodes).isNotNull();
                assertThat(pods).isNotNull();
            }
            KubernetesClientException forbidden = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> manager.nodes().withName("rbac-test-node").delete());
            assertThat(forbidden).isNotNull();
            assertThat(forbidden.getCode()).isEqualTo(403);
        } finally {
            admin.resource(node).delete();
        }
    }

    private static boolean allowed(String resource, String verb, String namespace) {
        String[] parts = resource.split("/", 2);
        SelfSubjectAccessReview review = manager.authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withNamespace(namespace)
                        .withGroup("")
                        .withResource(parts[0])
                        .withSubresource(parts.length > 1 ? parts[1] : null)
                        .withVerb(verb)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus().getAllowed();
    }

    private static <T> Watcher<T> ignoring() {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {}

            @Override
            public void onClose(WatcherException cause) {}
        };
    }
}
