package io.runnerfleet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.fleet.FleetReconciler;
import io.runnerfleet.testing.External;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart grants the operator exactly what its code uses. The kinds come from the code: the workflow's
 * dependents (their resource types, and whether they create, update, delete), the informers the reconciler
 * registers, its primary resource; plus the few direct calls listed in {@link #directCalls()}. The chart may grant
 * more only where the operator must hold a permission to put it in a manager's Role (RBAC escalation prevention):
 * {@link ManagerPermissions}.
 *
 * <p>The verbs were checked against the requests the operator makes on the mock API server (component tests):
 * informers list and watch; dependents create, update (PUT: no server-side apply) and never get or patch; JOSDK
 * adds and removes its finalizer with a JSON patch and re-reads the fleet (get) on a conflict; status is a PUT.
 */
@External.Helm
class ChartRbacTest {
    private static final String CORE = "";

    /** One permission: (apiGroup, resource, verb). */
    record Grant(String group, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
        }
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheOperatorUsesAndWhatItGrantsManagers() {
        Set<Grant> needed = new TreeSet<>(operatorNeeds());
        needed.addAll(grants(ManagerPermissions.JOB_RULES));
        needed.addAll(grants(ManagerPermissions.QUOTA_RULES));
        // capacityAware: nodes: the managers' ClusterRole (pods list/watch the operator needs anyway).
        needed.addAll(grants(ManagerPermissions.NODE_RULES));
        needed.addAll(grants(ManagerPermissions.LEASE_RULES));
        // A fleet with spec.gitlab.tokenRotation: the managers' Lease Role also names the token Secret; the operator
        // grants that by name, so it needs the verbs on every Secret it may be asked to name.
        needed.addAll(grants(List.of(new PolicyRuleBuilder(ManagerPermissions.tokenSecretRule("any-token-secret"))
                .withResourceNames(List.of())
                .build())));

        Set<Grant> granted = grants(rules(documents(Map.of()), "ClusterRole", "runner-fleet"));

        assertThat(missing(needed, granted))
                .as("needed but not granted by the ClusterRole")
                .isEmpty();
        assertThat(missing(granted, needed))
                .as("granted by the ClusterRole but not needed")
                .isEmpty();
    }

    @Test
    void operatorNeedsCoverEveryKindTheReconcilerTouches() {
        Set<String> resources = new TreeSet<>();
        operatorNeeds().forEach(g -> resources.add(g.resource()));
        assertThat(resources)
                .contains(
                        "runnerfleets",
                        "configmaps",
                        "serviceaccounts",
                        "roles",
                        "rolebindings",
                        "deployments",
                        "replicasets",
                        "priorityclasses",
                        "services",
                        "poddisruptionbudgets",
                        "secrets",
                        "pods",
                        "namespaces",
                        "events");
    }

    @Test
    void leaderElectionRoleGrantsOnlyTheLease() {
        List<JsonNode> documents = documents(Map.of());
        // fabric8's LeaseLock reads, creates and renews (PATCH in 7.5.2); releasing on stop is a PUT; JOSDK checks
        // for get, create and update before it starts.
        assertThat(grants(rules(documents, "Role", "runner-fleet-leader-election")))
                .containsExactlyInAnyOrderElementsOf(leaseGrants("get", "create", "update", "patch"));
        assertThat(documents(Map.of("leaderElection.enabled", false)))
                .noneMatch(d -> d.path("metadata").path("name").asText().equals("runner-fleet-leader-election"));
    }

    @Test
    void watchedNamespacesGetTheSameRulesAndClusterWideOnlyWhatIsWatchedEverywhere() {
        List<JsonNode> documents = documents(Map.of("watchNamespaces[0]", "gitlab"));
        Set<Grant> clusterWide = new TreeSet<>(grants(rules(documents, "ClusterRole", "runner-fleet-cluster")));
        Set<Grant> namespaced = new TreeSet<>(grants(rules(documents, "Role", "runner-fleet")));

        Set<Grant> expectedClusterWide = new TreeSet<>(clusterScopedNeeds());
        assertThat(clusterWide).containsExactlyInAnyOrderElementsOf(expectedClusterWide);
        Set<Grant> all = new TreeSet<>(namespaced);
        all.addAll(clusterWide);
        Set<Grant> defaults = grants(rules(documents(Map.of()), "ClusterRole", "runner-fleet"));
        assertThat(all).containsExactlyInAnyOrderElementsOf(defaults);
    }

    /** What the operator itself calls, derived from FleetReconciler and its workflow. */
    static Set<Grant> operatorNeeds() {
        Set<Grant> needs = new TreeSet<>();
        Class<? extends HasMetadata> primary = typeArgument(FleetReconciler.class, Reconciler.class);
        String fleets = HasMetadata.getPlural(primary);
        String group = HasMetadata.getGroup(primary);
        // The primary's informer; JOSDK's finalizer (JSON patch without SSA, get when it conflicts); status PUT;
        // finalizers: the dependents' ownerReferences set blockOwnerDeletion.
        add(needs, group, fleets, "get", "list", "watch", "patch");
        add(needs, group, fleets + "/status", "update");
        add(needs, group, fleets + "/finalizers", "update");
        for (Dependent dependent :
                FleetReconciler.class.getAnnotation(Workflow.class).dependents()) {
            Class<?> type = dependent.type();
            Class<? extends HasMetadata> kind = dependentKind(type);
            List<String> verbs = new ArrayList<>(List.of("list", "watch"));
            if (Creator.class.isAssignableFrom(type)) {
                verbs.add("create");
            }
            if (Updater.class.isAssignableFrom(type)) {
                verbs.add("update");
            }
            if (Deleter.class.isAssignableFrom(type)) {
                verbs.add("delete");
            }
            add(needs, HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), verbs.toArray(String[]::new));
        }
        for (Class<? extends HasMetadata> kind : eventSourceKinds()) {
            add(needs, HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), "list", "watch");
        }
        needs.addAll(directCalls());
        return needs;
    }

    /** Calls outside JOSDK's informers and dependents. */
    static Set<Grant> directCalls() {
        Set<Grant> calls = new TreeSet<>();
        // FleetValidator: does the executor namespace exist (one get by name).
        add(calls, CORE, HasMetadata.getPlural(Namespace.class), "get");
        // FleetEventRecorder: core/v1 Events about the fleet.
        add(calls, CORE, HasMetadata.getPlural(Event.class), "create");
        // WarmCapacity: the shared PriorityClass of pause pods, looked for by name and created when missing; pause
        // pods of an older template listed and deleted (the managers' Job Role holds both verbs on pods anyway).
        add(calls, "scheduling.k8s.io", "priorityclasses", "get", "create");
        add(calls, CORE, "pods", "list", "delete");
        // NodeReaderRbac: the capacityAware: nodes ClusterRole and ClusterRoleBinding, read by name, created,
        // updated (the role; a binding whose roleRef changed is replaced) and deleted.
        add(calls, "rbac.authorization.k8s.io", "clusterroles", "get", "create", "update", "delete");
        add(calls, "rbac.authorization.k8s.io", "clusterrolebindings", "get", "create", "delete");
        // ExecutorRbacJanitor lists and deletes Roles and RoleBindings by label: covered by the dependents.
        // OverwriteNamespaceRbac creates and updates the job Role and RoleBinding in each namespace jobs may move to,
        // read from the dependents' informers (never a get), and asks whether each namespace exists (the get above):
        // covered by the dependents.
        return calls;
    }

    /**
     * Informers that watch every namespace whatever the operator's namespaces are: the dependents whose
     * {@code @Informer} says so and the Job Pod informer (FleetReconciler: withWatchAllNamespaces); plus the
     * namespace look-up and the janitor's cluster-wide list of Roles and RoleBindings.
     */
    static Set<Grant> clusterScopedNeeds() {
        Set<Grant> needs = new TreeSet<>();
        add(needs, CORE, "namespaces", "get");
        add(needs, CORE, "pods", "list", "watch");
        add(needs, "scheduling.k8s.io", "priorityclasses", "get", "create");
        // Cluster-scoped: the capacityAware: nodes ClusterRole and binding, and the nodes the ClusterRole grants.
        add(needs, "rbac.authorization.k8s.io", "clusterroles", "get", "create", "update", "delete");
        add(needs, "rbac.authorization.k8s.io", "clusterrolebindings", "get", "create", "delete");
        add(needs, CORE, "nodes", "get", "list", "watch");
        for (Dependent dependent :
                FleetReconciler.class.getAnnotation(Workflow.class).dependents()) {
            KubernetesDependent annotation = dependent.type().getAnnotation(KubernetesDependent.class);
            Informer informer = annotation == null ? null : annotation.informer();
            if (informer != null && Arrays.asList(informer.namespaces()).contains(Constants.WATCH_ALL_NAMESPACES)) {
                Class<? extends HasMetadata> kind = dependentKind(dependent.type());
                add(needs, HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), "list", "watch");
            }
        }
        return needs;
    }

    private static List<Class<? extends HasMetadata>> eventSourceKinds() {
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>();
        for (Field field : FleetReconciler.class.getDeclaredFields()) {
            if (field.getType() == InformerEventSource.class
                    && field.getGenericType() instanceof ParameterizedType parameterized) {
                kinds.add(asKind(parameterized.getActualTypeArguments()[0]));
            }
        }
        assertThat(kinds).as("informers FleetReconciler registers").isNotEmpty();
        return kinds;
    }

    /** The resource type R of a dependent class (XDependent extends FleetDependent&lt;R&gt; ...). */
    private static Class<? extends HasMetadata> dependentKind(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getGenericSuperclass() instanceof ParameterizedType parameterized
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> argument
                    && HasMetadata.class.isAssignableFrom(argument)) {
                return asKind(argument);
            }
        }
        throw new AssertionError("no resource type found for " + type);
    }

    private static Class<? extends HasMetadata> typeArgument(Class<?> type, Class<?> generic) {
        for (Type candidate : type.getGenericInterfaces()) {
            if (candidate instanceof ParameterizedType parameterized && parameterized.getRawType() == generic) {
                return asKind(parameterized.getActualTypeArguments()[0]);
            }
        }
        throw new AssertionError(type + " does not implement " + generic);
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends HasMetadata> asKind(Type type) {
        return (Class<? extends HasMetadata>) type;
    }

    private static void add(Set<Grant> grants, String group, String resource, String... verbs) {
        for (String verb : verbs) {
            grants.add(new Grant(group, resource, verb));
        }
    }

    private static Set<Grant> leaseGrants(String... verbs) {
        Set<Grant> grants = new TreeSet<>();
        add(grants, "coordination.k8s.io", "leases", verbs);
        return grants;
    }

    private static Set<Grant> grants(List<PolicyRule> rules) {
        Set<Grant> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getResourceNames()).as("resourceNames in %s", rule).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        assertThat(List.of(group, resource, verb))
                                .as("wildcards in %s", rule)
                                .doesNotContain("*");
                        grants.add(new Grant(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    private static List<PolicyRule> rules(List<JsonNode> documents, String kind, String name) {
        JsonNode role = documents.stream()
                .filter(d -> d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
        List<PolicyRule> rules = new ArrayList<>();
        role.path("rules")
                .forEach(r -> rules.add(
                        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(r.toString(), PolicyRule.class)));
        return rules;
    }

    private static List<JsonNode> documents(Map<String, Object> values) {
        return HelmChart.documents(HelmChart.template(values));
    }

    private static Set<Grant> missing(Set<Grant> from, Set<Grant> in) {
        Set<Grant> missing = new TreeSet<>(from);
        missing.removeAll(in);
        return missing;
    }
}
