package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The item store of every informer the operator runs: it keeps of each object only what the operator reads, so that
 * 1,000 fleets' objects fit a small heap (issue #16). Applied as the object enters the cache, before anyone reads it:
 *
 * <ul>
 *   <li>every kind: {@code metadata.managedFields} (server-side apply bookkeeping, often larger than the spec);
 *       updates built from a cached object (JOSDK's of a dependent, the status and finalizer updates of a fleet)
 *       send no managedFields, which the API server reads as "unchanged";</li>
 *   <li>Secrets: the values go, the keys stay ({@link TokenSecretCheck} looks only at which keys exist; the token
 *       itself is for the managers, and the operator's heap never holds it), and so does kubectl's
 *       {@code last-applied-configuration} annotation, which would hold the token again;</li>
 *   <li>Pods (Job Pods, counted as running jobs by {@link JobPodMapper}): only metadata (without that annotation)
 *       and {@code status.phase} stay; the spec and container statuses are the managers' business.</li>
 * </ul>
 *
 * <p>Only for an informer that JOSDK runs as one fabric8 informer ({@link #oneInformerFor}): for several watched
 * namespaces it runs one per namespace and hands all of them the same item store, and each one's list drops the
 * others' objects from it (fabric8's {@code ProcessorStore.retainAll} removes every stored key its list lacks), so
 * fleets in all but one namespace would seem to have no token Secret. Those informers keep the plain store.
 *
 * <p>The annotation stays on the kinds the operator writes: an update from the cache without it would remove it from
 * the object. The objects are trimmed in place: the informer hands the same instance to the event handlers, which read no more
 * than the cache's readers do.
 */
public final class CachedFields<R extends HasMetadata> extends BasicItemStore<R> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    public CachedFields() {
        super(Cache::metaNamespaceKeyFunc);
    }

    /**
     * Whether informers on these namespaces (as JOSDK's configuration names them) are a single fabric8 informer,
     * which may have a store of its own: every namespace, or exactly one. An unresolved "same as the controller"
     * counts as no.
     */
    public static boolean oneInformerFor(Set<String> namespaces) {
        if (namespaces == null || InformerConfiguration.inheritsNamespacesFromController(namespaces)) {
            return false;
        }
        return InformerConfiguration.allNamespacesWatched(namespaces) || namespaces.size() == 1;
    }

    @Override
    public R put(String key, R object) {
        return super.put(key, trim(object));
    }

    /** Removes from {@code object} what the operator never reads, and returns it. */
    static <R extends HasMetadata> R trim(R object) {
        ObjectMeta meta = object.getMetadata();
        if (meta != null) {
            meta.setManagedFields(null);
        }
        if (object instanceof Secret secret) {
            dropLastApplied(meta);
            secret.setData(keysOnly(secret.getData()));
            secret.setStringData(keysOnly(secret.getStringData()));
        } else if (object instanceof Pod pod) {
            dropLastApplied(meta);
            pod.setSpec(null);
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            PodStatus status = new PodStatus();
            status.setPhase(phase);
            pod.setStatus(status);
        }
        return object;
    }

    private static void dropLastApplied(ObjectMeta meta) {
        if (meta != null
                && meta.getAnnotations() != null
                && meta.getAnnotations().containsKey(LAST_APPLIED)) {
            Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations());
            annotations.remove(LAST_APPLIED);
            meta.setAnnotations(annotations);
        }
    }

    private static Map<String, String> keysOnly(Map<String, String> data) {
        if (data == null) {
            return null;
        }
        Map<String, String> keys = new LinkedHashMap<>();
        data.keySet().forEach(k -> keys.put(k, ""));
        return keys;
    }
}
