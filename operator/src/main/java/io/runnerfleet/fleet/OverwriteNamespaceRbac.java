package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredRbac;
import io.runnerfleet.desired.FleetObjects;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managers' job Role and RoleBinding in each namespace a job may move its pod to
 * ({@code spec.executor.namespaceOverwrite.allowed}), besides the executor's (whose pair the JOSDK dependents keep).
 * One dependent per kind cannot hold a list of namespaces, so these are compared and applied here: read from the
 * dependents' informers (which watch every namespace by label), created or updated only when they differ, so an
 * unchanged fleet costs no write. A namespace that does not exist is skipped and named in a {@code NamespaceMissing}
 * Warning, and the others still get their RBAC; when a namespace leaves the list, {@link ExecutorRbacJanitor} deletes what is left there.
 */
final class OverwriteNamespaceRbac {
    private static final Logger LOG = LoggerFactory.getLogger(OverwriteNamespaceRbac.class);
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final KubernetesClient client;
    private final KnownNamespaces namespaces;
    private final ExecutorRbacJanitor janitor;
    private final FleetEventRecorder events;
    /** The missing namespaces last announced per fleet (uid), so the Warning is not repeated at each recheck. */
    private final Map<String, List<String>> announcedMissing = new ConcurrentHashMap<>();

    OverwriteNamespaceRbac(
            KubernetesClient client,
            KnownNamespaces namespaces,
            ExecutorRbacJanitor janitor,
            FleetEventRecorder events) {
        this.client = client;
        this.namespaces = namespaces;
        this.janitor = janitor;
        this.events = events;
    }

    /** The fleet is gone: nothing more to announce about it. */
    void forget(RunnerFleet fleet) {
        announcedMissing.remove(String.valueOf(fleet.getMetadata().getUid()));
    }

    /**
     * Applies the fleet's RBAC in each allowed namespace that exists and deletes it from namespaces no longer
     * allowed.
     *
     * @return the allowed namespaces that do not exist, in the fleet's order
     */
    List<String> reconcile(RunnerFleet fleet, FleetObjects desired, Context<RunnerFleet> context) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < desired.overwriteJobRoles().size(); i++) {
            Role role = desired.overwriteJobRoles().get(i);
            String namespace = role.getMetadata().getNamespace();
            if (!namespaces.exists(namespace)) {
                missing.add(namespace);
                continue;
            }
            apply(withPrimary(role, fleet), cached(context, Role.class, role));
            RoleBinding binding = desired.overwriteJobRoleBindings().get(i);
            apply(withPrimary(binding, fleet), cached(context, RoleBinding.class, binding));
        }
        Set<String> keep = DesiredRbac.jobNamespaces(fleet);
        boolean stale = Stream.concat(cachedOf(context, Role.class, fleet), cachedOf(context, RoleBinding.class, fleet))
                .map(object -> object.getMetadata().getNamespace())
                .anyMatch(namespace -> !keep.contains(namespace)
                        && !namespace.equals(fleet.getMetadata().getNamespace()));
        if (stale) {
            janitor.deleteOutside(fleet, keep);
        }
        announceMissing(fleet, missing);
        return missing;
    }

    /**
     * A Warning Event naming the allowed namespaces that do not exist, when that list changes: jobs asking for them
     * fail (the managers have no RBAC there), the rest of the fleet runs, and the reconciler looks again at
     * {@link FleetReconciler#MISSING_NAMESPACE_RECHECK}.
     */
    private void announceMissing(RunnerFleet fleet, List<String> missing) {
        String uid = String.valueOf(fleet.getMetadata().getUid());
        if (missing.equals(announcedMissing.getOrDefault(uid, List.of()))) {
            return;
        }
        announcedMissing.put(uid, List.copyOf(missing));
        if (!missing.isEmpty()) {
            events.record(
                    fleet,
                    FleetEventReason.NAMESPACE_MISSING,
                    "spec.executor.namespaceOverwrite.allowed: namespace(s) " + String.join(", ", missing)
                            + " do not exist, so the managers get no RBAC there and jobs asking for them fail; create "
                            + "them (kubectl create namespace " + missing.get(0) + ") or remove them from the list.");
        }
    }

    /**
     * The object with JOSDK's primary-name/namespace annotations, as the dependents write them on the executor
     * namespace's pair: how the informers' events find the fleet, and how {@link ExecutorRbacJanitor} tells the
     * fleet's objects from a namesake's.
     */
    private static <R extends HasMetadata> R withPrimary(R desired, RunnerFleet fleet) {
        R annotated = SERIALIZATION.clone(desired);
        Map<String, String> annotations = annotated.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(annotated.getMetadata().getAnnotations());
        annotations.put(Mappers.DEFAULT_ANNOTATION_FOR_NAME, fleet.getMetadata().getName());
        annotations.put(
                Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, fleet.getMetadata().getNamespace());
        annotated.getMetadata().setAnnotations(annotations);
        return annotated;
    }

    private <R extends HasMetadata> void apply(R desired, Optional<R> actual) {
        try {
            if (actual.isEmpty()) {
                client.resource(desired).create();
                LOG.info("created {} {}/{}", desired.getKind(), namespaceOf(desired), nameOf(desired));
            } else if (!DesiredStateMatcher.matches(desired, actual.get())) {
                R update = SERIALIZATION.clone(desired);
                update.getMetadata()
                        .setResourceVersion(actual.get().getMetadata().getResourceVersion());
                client.resource(update).update();
                LOG.info("updated {} {}/{}", desired.getKind(), namespaceOf(desired), nameOf(desired));
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // The informer had not seen our last write yet: its event brings the next reconciliation.
            LOG.debug("{} {}/{} changed meanwhile", desired.getKind(), namespaceOf(desired), nameOf(desired));
        }
    }

    /** The object as the dependents' informers last saw it (any informer of that kind that holds it). */
    private static <R extends HasMetadata> Optional<R> cached(
            Context<RunnerFleet> context, Class<R> type, HasMetadata desired) {
        ResourceID id = new ResourceID(nameOf(desired), namespaceOf(desired));
        return informers(context, type)
                .map(informer -> informer.get(id))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** The fleet's objects of that kind in the informers' caches, found by label and JOSDK's primary annotations. */
    private static <R extends HasMetadata> Stream<R> cachedOf(
            Context<RunnerFleet> context, Class<R> type, RunnerFleet fleet) {
        return informers(context, type).flatMap(informer -> informer.list(object -> belongsTo(object, fleet)));
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> Stream<InformerEventSource<R, RunnerFleet>> informers(
            Context<RunnerFleet> context, Class<R> type) {
        List<EventSource<R, RunnerFleet>> sources =
                context.eventSourceRetriever().getEventSourcesFor(type);
        return sources.stream().filter(InformerEventSource.class::isInstance).map(source ->
                (InformerEventSource<R, RunnerFleet>) source);
    }

    private static boolean belongsTo(HasMetadata object, RunnerFleet fleet) {
        Map<String, String> labels = object.getMetadata().getLabels();
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return labels != null
                && Objects.equals(
                        labels.get(FleetLabels.FLEET), fleet.getMetadata().getName())
                && annotations != null
                && Objects.equals(
                        annotations.get(Mappers.DEFAULT_ANNOTATION_FOR_NAME),
                        fleet.getMetadata().getName())
                && Objects.equals(
                        annotations.get(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE),
                        fleet.getMetadata().getNamespace());
    }

    private static String nameOf(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static String namespaceOf(HasMetadata object) {
        return object.getMetadata().getNamespace();
    }
}
