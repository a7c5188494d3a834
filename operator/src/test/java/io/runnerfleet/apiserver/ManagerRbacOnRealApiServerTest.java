package io.runnerfleet.apiserver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.ExecutorNamespace;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import java.nio.file.Files;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manager's RBAC as the operator creates it (ServiceAccount, Roles and RoleBindings from {@link FleetObjects}),
 * with the Job Pods in another namespace than the fleet, judged by the real API server's RBAC authorizer: every
 * call a manager makes is allowed, and nothing else is, asked through SelfSubjectAccessReview and through real
 * calls by a client impersonating the manager's ServiceAccount.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class ManagerRbacOnRealApiServerTest {
    private static RealApiServer server;
    private static KubernetesClient admin;
    private static KubernetesClient manager;
    private static String fleetNamespace;
    private static String executorNamespace;
    private static String otherNamespace;
    /** A namespace jobs may move their pods to (spec.executor.namespaceOverwrite.allowed). */
    private static String reviewNamespace;

    private static String managerUser;

    /** One thing a client may ask to do: {@code verb} on {@code group/resource[/subresource]} in a namespace. */
    record Access(String namespace, String group, String resource, String subresource, String verb, String name) {
        static Access of(String namespace, String group, String resource, String verb) {
            String[] parts = resource.split("/", 2);
            return new Access(namespace, group, parts[0], parts.length > 1 ? parts[1] : null, verb, null);
        }

        /** {@code verb} on the object {@code name} only (what a rule with resourceNames allows). */
        static Access named(String namespace, String resource, String verb, String name) {
            return new Access(namespace, "", resource, null, verb, name);
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (subresource == null ? "" : "/" + subresource)
                    + (name == null ? "" : " " + name)
                    + (namespace == null ? " (cluster)" : " in " + namespace);
        }
    }

    /** The seed's token Secret, which it rotates ({@code spec.gitlab.tokenRotation}). */
    private static final String TOKEN_SECRET = "build-fleet-token";

    @BeforeAll
    static void createTheFleetsRbac(RealApiServer realApiServer) throws Exception {
        server = realApiServer;
        admin = server.admin();
        server.installCrd();
        fleetNamespace = server.createNamespace("fleet");
        executorNamespace = server.createNamespace("executor");
        otherNamespace = server.createNamespace("other");
        reviewNamespace = server.createNamespace("review");

        // The seed fleet, with its Job Pods in a namespace of their own; created, so its objects get owner refs.
        ObjectMapper yaml = new YAMLMapper();
        ObjectNode fleetDocument =
                (ObjectNode) yaml
                        .readerFor(ObjectNode.class)
                        .readValues(Files.readString(Examples.path("seed-fleet.yaml")))
                        .readAll()
                        .stream()
                        .map(ObjectNode.class::cast)
                        .filter(d -> RunnerFleet.KIND.equals(d.path("kind").asText()))
                        .findFirst()
                        .orElseThrow();
        ((ObjectNode) fleetDocument.path("metadata")).put("namespace", fleetNamespace);
        ((ObjectNode) fleetDocument.path("spec").path("executor")).put("namespace", executorNamespace);
        ((ObjectNode) fleetDocument.path("spec").path("executor"))
                .putObject("namespaceOverwrite")
                .putArray("allowed")
                .add(reviewNamespace);
        admin.resource(yaml.convertValue(fleetDocument, GenericKubernetesResource.class))
                .create();
        RunnerFleet fleet = admin.resources(RunnerFleet.class)
                .inNamespace(fleetNamespace)
                .withName(fleetDocument.path("metadata").path("name").asText())
                .get();
        assertThat(ExecutorNamespace.of(fleet)).isEqualTo(executorNamespace);

        FleetObjects objects = FleetObjects.of(fleet, OperatorDefaults.forThisBuild());
        List<HasMetadata> rbac = new ArrayList<>(List.of(
                objects.serviceAccount(),
                objects.jobRole(),
                objects.jobRoleBinding(),
                objects.leaseRole(),
                objects.leaseRoleBinding()));
        rbac.addAll(objects.overwriteJobRoles());
        rbac.addAll(objects.overwriteJobRoleBindings());
        for (HasMetadata object : rbac) {
            admin.resource(object).create();
        }
        assertThat(objects.overwriteJobRoles())
                .singleElement()
                .satisfies(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(reviewNamespace));
        assertThat(objects.jobRole().getMetadata().getNamespace()).isEqualTo(executorNamespace);
        assertThat(objects.leaseRole().getMetadata().getNamespace()).isEqualTo(fleetNamespace);

        String serviceAccount = objects.serviceAccount().getMetadata().getName();
        managerUser = "system:serviceaccount:" + fleetNamespace + ":" + serviceAccount;
        manager = server.asServiceAccount(fleetNamespace, serviceAccount);
    }

    @AfterAll
    static void closeTheManagersClient() {
        if (manager != null) {
            manager.close();
        }
    }

    /**
     * Every call a manager makes: the managers' Roles' rules, which {@code ManagerCallsRbacTest} shows to equal the
     * manager's real calls (Job Pods, their logs, events and Secrets in the executor namespace; Leases in the
     * fleet's).
     */
    static Stream<Access> managerCalls() {
        return Stream.of(
                        accesses(executorNamespace, ManagerPermissions.JOB_RULES),
                        // The executor namespace's ResourceQuotas (spec.executor.capacityAware: quota, the default).
                        accesses(executorNamespace, ManagerPermissions.QUOTA_RULES),
                        // The same in a namespace jobs may move to (KUBERNETES_NAMESPACE_OVERWRITE), and nothing more.
                        accesses(reviewNamespace, ManagerPermissions.JOB_RULES),
                        accesses(fleetNamespace, ManagerPermissions.LEASE_RULES),
                        // The elected manager reads and updates the token Secret it rotates, by name.
                        ManagerPermissions.TOKEN_SECRET_VERBS.stream()
                                .map(verb -> Access.named(fleetNamespace, "secrets", verb, TOKEN_SECRET)))
                .flatMap(s -> s);
    }

    private static Stream<Access> accesses(String namespace, List<PolicyRule> rules) {
        return rules.stream()
                .flatMap(rule -> rule.getResources().stream()
                        .flatMap(resource -> rule.getVerbs().stream()
                                .map(verb ->
                                        Access.of(namespace, rule.getApiGroups().get(0), resource, verb))));
    }

    /** Pods and Secrets anywhere else, what the manager never needs, and everything cluster-scoped. */
    static Stream<Access> forbiddenCalls() {
        String jobs = executorNamespace;
        String fleet = fleetNamespace;
        String other = otherNamespace;
        return Stream.of(
                // The fleet's namespace holds the token Secret and the managers themselves: hands off.
                Access.of(fleet, "", "pods", "list"),
                Access.of(fleet, "", "pods", "create"),
                Access.of(fleet, "", "pods", "delete"),
                // Its own pod's deletion cost is a get and a patch (manager.DeletionCost): no update.
                Access.of(fleet, "", "pods", "update"),
                Access.of(fleet, "", "secrets", "get"),
                Access.of(fleet, "", "secrets", "list"),
                Access.of(fleet, "", "secrets", "create"),
                Access.of(fleet, "", "secrets", "update"),
                Access.of(fleet, "", "secrets", "watch"),
                // The token Secret: get and update only; any other Secret there not even by name.
                Access.named(fleet, "secrets", "patch", TOKEN_SECRET),
                Access.named(fleet, "secrets", "delete", TOKEN_SECRET),
                Access.named(fleet, "secrets", "get", "other-secret"),
                Access.named(fleet, "secrets", "update", "other-secret"),
                Access.of(fleet, "", "configmaps", "get"),
                Access.of(fleet, "apps", "deployments", "update"),
                Access.of(fleet, "runnerfleet.io", "runnerfleets", "update"),
                Access.of(fleet, "runnerfleet.io", "runnerfleets/status", "update"),
                // Any other namespace.
                Access.of(other, "", "pods", "list"),
                Access.of(other, "", "pods", "create"),
                Access.of(other, "", "secrets", "get"),
                Access.of(other, "", "secrets", "list"),
                Access.of(other, "", "secrets", "create"),
                Access.of(other, "coordination.k8s.io", "leases", "create"),
                // Exec only into Job Pods (reading a build's log file, ManagerPermissions): nowhere else.
                Access.of(fleet, "", "pods/exec", "create"),
                Access.of(fleet, "", "pods/exec", "get"),
                Access.of(other, "", "pods/exec", "create"),
                Access.of(other, "", "pods/exec", "get"),
                // In the executor namespace, only what the Job Pods need: exec (create, get) and nothing more of the
                // kind (no attach, port-forward, ephemeral containers), no Secret listing or updates, no Leases, no
                // RBAC.
                Access.of(jobs, "", "pods/attach", "create"),
                Access.of(jobs, "", "pods/attach", "get"),
                Access.of(jobs, "", "pods/portforward", "create"),
                Access.of(jobs, "", "pods/ephemeralcontainers", "patch"),
                Access.of(jobs, "", "pods/exec", "update"),
                Access.of(jobs, "", "pods/exec", "patch"),
                Access.of(jobs, "", "pods/exec", "delete"),
                Access.of(jobs, "", "pods", "patch"),
                // list and update are granted (finding and claiming a pod-less job's record); a watch is not.
                Access.of(jobs, "", "secrets", "watch"),
                Access.of(jobs, "", "events", "watch"),
                Access.of(jobs, "", "configmaps", "get"),
                Access.of(jobs, "coordination.k8s.io", "leases", "create"),
                Access.of(jobs, "rbac.authorization.k8s.io", "roles", "create"),
                Access.of(jobs, "rbac.authorization.k8s.io", "rolebindings", "create"),
                Access.of(jobs, "", "serviceaccounts/token", "create"),
                // Cluster-scoped, and all namespaces at once.
                Access.of(null, "", "nodes", "list"),
                Access.of(null, "", "nodes", "get"),
                Access.of(null, "", "namespaces", "list"),
                Access.of(null, "", "namespaces", "get"),
                Access.of(null, "", "namespaces", "create"),
                Access.of(null, "", "persistentvolumes", "list"),
                Access.of(null, "rbac.authorization.k8s.io", "clusterroles", "create"),
                Access.of(null, "rbac.authorization.k8s.io", "clusterrolebindings", "create"),
                Access.of(null, "apiextensions.k8s.io", "customresourcedefinitions", "create"),
                Access.of(null, "apiextensions.k8s.io", "customresourcedefinitions", "list"),
                Access.of(null, "", "pods", "list"),
                Access.of(null, "", "secrets", "list"),
                Access.of(null, "runnerfleet.io", "runnerfleets", "list"));
    }

    @ParameterizedTest(name = "allowed: {0}")
    @MethodSource("managerCalls")
    void everyCallTheManagerMakesIsAllowed(Access access) {
        assertThat(allowed(access)).as(access.toString()).isTrue();
    }

    @ParameterizedTest(name = "forbidden: {0}")
    @MethodSource("forbiddenCalls")
    void everythingElseIsForbidden(Access access) {
        assertThat(allowed(access)).as(access.toString()).isFalse();
    }

    @Test
    void theManagersRealCallsOnJobPodsSecretsAndEventsSucceed() throws Exception {
        Secret secret = manager.secrets()
                .inNamespace(executorNamespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("job-1")
                        .endMetadata()
                        .addToStringData("job-token", "glcbt-test")
                        .build())
                .create();
        assertThat(manager.secrets()
                        .inNamespace(executorNamespace)
                        .withName("job-1")
                        .get())
                .isNotNull();

        Pod pod = manager.pods()
                .inNamespace(executorNamespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("job-1")
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("build")
                        .withImage("alpine:3.20")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        assertThat(manager.pods()
                        .inNamespace(executorNamespace)
                        .withName("job-1")
                        .get())
                .isNotNull();
        assertThat(manager.pods().inNamespace(executorNamespace).list().getItems())
                .hasSize(1);
        try (Watch pods = manager.pods().inNamespace(executorNamespace).watch(ignoring())) {
            assertThat(pods).isNotNull();
        }
        assertThat(manager.v1().events().inNamespace(executorNamespace).list().getItems())
                .isNotNull();
        // Adoption: an update carrying the resourceVersion seen, so that of two racing managers one wins.
        Pod seen =
                manager.pods().inNamespace(executorNamespace).withName("job-1").get();
        seen.getMetadata().setAnnotations(java.util.Map.of("runnerfleet.io/manager", "manager-1"));
        Pod adopted =
                manager.pods().inNamespace(executorNamespace).resource(seen).update();
        assertThat(adopted.getMetadata().getAnnotations()).containsEntry("runnerfleet.io/manager", "manager-1");
        // The job's Secret is made the pod's, so that deleting the pod takes it along.
        Secret owned = manager.secrets()
                .inNamespace(executorNamespace)
                .withName("job-1")
                .edit(s -> new SecretBuilder(s)
                        .editMetadata()
                        .addToLabels("owned", "yes")
                        .endMetadata()
                        .build());
        assertThat(owned.getMetadata().getLabels()).containsEntry("owned", "yes");
        // No node runs the pod, so its log is empty: the server answers 204 No Content (after RBAC allowed it).
        HttpResponse<String> log = get(manager, "/api/v1/namespaces/" + executorNamespace + "/pods/job-1/log");
        assertThat(log.code()).as(log.body()).isEqualTo(204);
        HttpResponse<String> otherLog = get(manager, "/api/v1/namespaces/" + fleetNamespace + "/pods/job-1/log");
        assertThat(otherLog.code()).as(otherLog.body()).isEqualTo(403);

        assertThat(manager.pods().inNamespace(executorNamespace).resource(pod).delete())
                .hasSize(1);
        assertThat(manager.secrets()
                        .inNamespace(executorNamespace)
                        .resource(secret)
                        .delete())
                .hasSize(1);
    }

    @Test
    void theManagersRealCallsOnTheTokenSecretSucceedAndOnlyOnIt() {
        admin.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(TOKEN_SECRET)
                        .withNamespace(fleetNamespace)
                        .endMetadata()
                        .addToStringData("token", "glrt-before-rotation")
                        .build())
                .create();
        admin.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("other-secret")
                        .withNamespace(fleetNamespace)
                        .endMetadata()
                        .addToStringData("token", "not-the-managers")
                        .build())
                .create();

        Secret read = manager.secrets()
                .inNamespace(fleetNamespace)
                .withName(TOKEN_SECRET)
                .get();
        read.getData().put("token", Base64.getEncoder().encodeToString("glrt-rotated".getBytes(UTF_8)));
        manager.secrets().inNamespace(fleetNamespace).resource(read).update();
        assertThat(admin.secrets()
                        .inNamespace(fleetNamespace)
                        .withName(TOKEN_SECRET)
                        .get()
                        .getData()
                        .get("token"))
                .isEqualTo(Base64.getEncoder().encodeToString("glrt-rotated".getBytes(UTF_8)));

        assertForbidden(
                () -> manager.secrets()
                        .inNamespace(fleetNamespace)
                        .withName(TOKEN_SECRET)
                        .delete(),
                "delete",
                "secrets",
                fleetNamespace);
        assertForbidden(() -> manager.secrets().inNamespace(fleetNamespace).list(), "list", "secrets", fleetNamespace);
    }

    @Test
    void theManagersRealCallsOnLeasesSucceed() {
        Lease lease = manager.leases()
                .inNamespace(fleetNamespace)
                .resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName("manager-0")
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("manager-0")
                        .withLeaseDurationSeconds(15)
                        .withRenewTime(ZonedDateTime.now(ZoneId.systemDefault()))
                        .endSpec()
                        .build())
                .create();
        assertThat(manager.leases()
                        .inNamespace(fleetNamespace)
                        .withName("manager-0")
                        .get())
                .isNotNull();
        lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneId.systemDefault()));
        assertThat(manager.leases()
                        .inNamespace(fleetNamespace)
                        .resource(lease)
                        .update()
                        .getMetadata()
                        .getResourceVersion())
                .isNotEqualTo(lease.getMetadata().getResourceVersion());
        assertThat(manager.leases().inNamespace(fleetNamespace).list().getItems())
                .hasSize(1);
        assertThat(manager.leases()
                        .inNamespace(fleetNamespace)
                        .withName("manager-0")
                        .delete())
                .hasSize(1);
    }

    @Test
    void theManagersRealCallsElsewhereAreForbidden() {
        assertForbidden(() -> manager.pods().inNamespace(fleetNamespace).list(), "list", "pods", fleetNamespace);
        assertForbidden(
                () -> manager.secrets()
                        .inNamespace(fleetNamespace)
                        .withName("other-secret")
                        .get(),
                "get",
                "secrets",
                fleetNamespace);
        assertForbidden(() -> manager.secrets().inNamespace(otherNamespace).list(), "list", "secrets", otherNamespace);
        assertForbidden(
                () -> manager.pods()
                        .inNamespace(otherNamespace)
                        .resource(new PodBuilder()
                                .withNewMetadata()
                                .withName("escape")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("c")
                                .withImage("alpine")
                                .endContainer()
                                .endSpec()
                                .build())
                        .create(),
                "create",
                "pods",
                otherNamespace);
        assertForbidden(() -> manager.nodes().list(), "list", "nodes", null);
        assertForbidden(() -> manager.namespaces().list(), "list", "namespaces", null);
        assertForbidden(
                () -> manager.rbac()
                        .clusterRoles()
                        .resource(new ClusterRoleBuilder()
                                .withNewMetadata()
                                .withName("escalate")
                                .endMetadata()
                                .build())
                        .create(),
                "create",
                "clusterroles",
                null);
    }

    /** Asks the server, as the manager, whether it may (SelfSubjectAccessReview). */
    private static boolean allowed(Access access) {
        SelfSubjectAccessReview review = manager.authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withNamespace(access.namespace())
                        .withGroup(access.group())
                        .withResource(access.resource())
                        .withSubresource(access.subresource())
                        .withVerb(access.verb())
                        .withName(access.name())
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus().getAllowed();
    }

    /** The server's Forbidden, in its words: {@code User "..." cannot VERB resource "R" ... [in the namespace "N"]}. */
    private static void assertForbidden(Executable call, String verb, String resource, String namespace) {
        KubernetesClientException forbidden = catchThrowableOfType(KubernetesClientException.class, call::execute);
        assertThat(forbidden).as("%s %s was allowed", verb, resource).isNotNull();
        assertThat(forbidden.getCode()).isEqualTo(403);
        String message = forbidden.getStatus().getMessage();
        assertThat(message).contains("User \"" + managerUser + "\" cannot " + verb + " resource \"" + resource + "\"");
        if (namespace != null) {
            assertThat(message).contains("in the namespace \"" + namespace + "\"");
        } else {
            assertThat(message).contains("at the cluster scope");
        }
    }

    /** A GET through the client's own HTTP client (authentication and impersonation headers included). */
    private static HttpResponse<String> get(KubernetesClient client, String path) throws Exception {
        HttpClient http = client.getHttpClient();
        String base = client.getMasterUrl().toString().replaceAll("/$", "");
        return http.sendAsync(http.newHttpRequestBuilder().uri(base + path).build(), String.class)
                .get(30, TimeUnit.SECONDS);
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
