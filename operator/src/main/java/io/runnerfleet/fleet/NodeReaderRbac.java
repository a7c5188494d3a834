package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredRbac;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managers' ClusterRole and ClusterRoleBinding for {@code spec.executor.capacityAware: nodes}
 * ({@link DesiredRbac#nodeReader}): created or updated in that mode, deleted in the others and when the fleet is
 * deleted (the reconciler's finalizer). Cluster-scoped objects cannot be owned by the namespaced fleet, so no garbage
 * collector takes them and no JOSDK dependent (whose informer would need a cluster-wide watch on every ClusterRole)
 * keeps them: they are read by name, their name holding the fleet's namespace and name. What was last applied per
 * fleet is remembered, so an unchanged fleet costs no call; after an operator restart each fleet's ClusterRole is
 * read once, and deleted only if it is there.
 * A pair deleted by hand comes back with the operator's next restart or the fleet's next change of mode.
 */
final class NodeReaderRbac {
    private static final Logger LOG = LoggerFactory.getLogger(NodeReaderRbac.class);

    private final KubernetesClient client;
    /** Per fleet (namespace/name): the ClusterRole last applied, or empty once the pair is known absent. */
    private final Map<String, Optional<ClusterRole>> applied = new ConcurrentHashMap<>();

    NodeReaderRbac(KubernetesClient client) {
        this.client = client;
    }

    void reconcile(RunnerFleet fleet) {
        String key = key(fleet);
        Optional<ClusterRole> role = DesiredRbac.nodeReader(fleet);
        if (Objects.equals(applied.get(key), role)) {
            return;
        }
        if (role.isEmpty()) {
            if (applied.containsKey(key) || present(fleet)) {
                delete(fleet);
            } else {
                // Not known since this operator started (a restart), and there is none: nothing to write, so a
                // restart over unchanged fleets writes nothing (bench/README.md 3b). One read per such fleet.
                applied.put(key, Optional.empty());
            }
        } else {
            apply(role.get(), DesiredRbac.nodeReaderBinding(fleet).orElseThrow());
        }
        applied.put(key, role);
    }

    /** The fleet is being deleted: its pair goes too. */
    void delete(RunnerFleet fleet) {
        String name = DesiredRbac.nodeReaderName(
                fleet.getMetadata().getNamespace(), fleet.getMetadata().getName());
        boolean deleted =
                !client.rbac().clusterRoleBindings().withName(name).delete().isEmpty();
        deleted |= !client.rbac().clusterRoles().withName(name).delete().isEmpty();
        if (deleted) {
            LOG.info("deleted ClusterRole and ClusterRoleBinding {} (capacityAware is no longer nodes)", name);
        }
        applied.put(key(fleet), Optional.empty());
    }

    /**
     * Whether the fleet's ClusterRole exists. The binding is made after the role and deleted before it, so no binding
     * is there without its role.
     */
    private boolean present(RunnerFleet fleet) {
        String name = DesiredRbac.nodeReaderName(
                fleet.getMetadata().getNamespace(), fleet.getMetadata().getName());
        return client.rbac().clusterRoles().withName(name).get() != null;
    }

    void forget(RunnerFleet fleet) {
        applied.remove(key(fleet));
    }

    private void apply(ClusterRole role, ClusterRoleBinding binding) {
        String name = role.getMetadata().getName();
        ClusterRole actualRole = client.rbac().clusterRoles().withName(name).get();
        if (actualRole == null) {
            client.resource(role).create();
            LOG.info("created ClusterRole {}", name);
        } else if (!Objects.equals(actualRole.getRules(), role.getRules())
                || !Objects.equals(
                        actualRole.getMetadata().getLabels(), role.getMetadata().getLabels())) {
            role.getMetadata().setResourceVersion(actualRole.getMetadata().getResourceVersion());
            update(role);
        }
        ClusterRoleBinding actualBinding =
                client.rbac().clusterRoleBindings().withName(name).get();
        if (actualBinding == null) {
            client.resource(binding).create();
            LOG.info("created ClusterRoleBinding {}", name);
        } else if (!Objects.equals(actualBinding.getSubjects(), binding.getSubjects())
                || !Objects.equals(actualBinding.getRoleRef(), binding.getRoleRef())) {
            // roleRef cannot change in place: the API server refuses it, so the binding is replaced.
            client.resource(actualBinding).delete();
            client.resource(binding).create();
            LOG.info("replaced ClusterRoleBinding {}", name);
        }
    }

    private void update(ClusterRole role) {
        // A conflict (changed meanwhile) fails this reconciliation, which JOSDK retries with the pair read again.
        client.resource(role).update();
        LOG.info("updated ClusterRole {}", role.getMetadata().getName());
    }

    private static String key(RunnerFleet fleet) {
        return fleet.getMetadata().getNamespace() + "/" + fleet.getMetadata().getName();
    }
}
