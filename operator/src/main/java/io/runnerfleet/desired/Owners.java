package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.List;
import java.util.Map;

/**
 * Owner references to the fleet, for objects in the fleet's own namespace (Kubernetes forbids them across
 * namespaces). A fleet read from a file has no uid yet, so {@code render} prints no reference.
 */
final class Owners {
    private Owners() {}

    /** The metadata of a fleet's object: its name, namespace and labels, owned by the fleet where Kubernetes allows. */
    static ObjectMeta meta(RunnerFleet fleet, String name, String namespace, Map<String, String> labels) {
        ObjectMeta meta = new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .build();
        ownBy(fleet, meta);
        return meta;
    }

    private static void ownBy(RunnerFleet fleet, ObjectMeta meta) {
        String uid = fleet.getMetadata().getUid();
        if (uid == null || !meta.getNamespace().equals(fleet.getMetadata().getNamespace())) {
            return;
        }
        OwnerReference reference = new OwnerReferenceBuilder()
                .withApiVersion(RunnerFleet.API_VERSION)
                .withKind(RunnerFleet.KIND)
                .withName(fleet.getMetadata().getName())
                .withUid(uid)
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
        meta.setOwnerReferences(List.of(reference));
    }
}
