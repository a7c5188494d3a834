package io.runnerfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Does an object in the cluster already hold what the pure builders want? Compares only the fields the builders
 * set: an API server adds defaults (a Deployment's {@code progressDeadlineSeconds}, a container's
 * {@code terminationMessagePath}, a Service's {@code clusterIP}) and other controllers add labels and annotations,
 * none of which may count as a difference, or every resync would write. Lists must have the same length (a removed
 * toleration or rule is a difference); quantities compare by amount ({@code 0.5} equals {@code 500m}).
 */
public final class DesiredStateMatcher {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Top-level fields that are not desired state. */
    private static final Set<String> IGNORED_TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "status");

    private static final Set<String> QUANTITY_PARENTS = Set.of("limits", "requests", "hard");

    private DesiredStateMatcher() {}

    public static boolean matches(HasMetadata desired, HasMetadata actual) {
        JsonNode want = SERIALIZATION.convertValue(desired, JsonNode.class);
        JsonNode have = SERIALIZATION.convertValue(actual, JsonNode.class);
        JsonNode wantMeta = want.path("metadata");
        JsonNode haveMeta = have.path("metadata");
        for (String field : new String[] {"labels", "annotations", "ownerReferences"}) {
            if (!contains(wantMeta.get(field), haveMeta.get(field), field)) {
                return false;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!IGNORED_TOP_LEVEL.contains(field.getKey())
                    && !contains(field.getValue(), have.get(field.getKey()), field.getKey())) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(JsonNode want, JsonNode have, String parentKey) {
        if (want == null || want.isNull() || want.isMissingNode()) {
            return true;
        }
        boolean absent = have == null || have.isNull() || have.isMissingNode();
        if (want.isObject()) {
            // An empty object still says something: emptyDir: {} must be there.
            if (absent || !have.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String key = QUANTITY_PARENTS.contains(parentKey) ? "#quantity" : field.getKey();
                if (!contains(field.getValue(), have.get(field.getKey()), key)) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (absent) {
                return want.isEmpty();
            }
            if (!have.isArray() || have.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!contains(want.get(i), have.get(i), parentKey)) {
                    return false;
                }
            }
            return true;
        }
        if (absent) {
            return false;
        }
        if (want.equals(have)) {
            return true;
        }
        if ("#quantity".equals(parentKey)) {
            return sameQuantity(want.asText(), have.asText());
        }
        // IntOrString and numbers written as strings by some clients.
        return want.isValueNode() && have.isValueNode() && want.asText().equals(have.asText());
    }

    private static boolean sameQuantity(String want, String have) {
        try {
            return Quantity.getAmountInBytes(new Quantity(want))
                            .compareTo(Quantity.getAmountInBytes(new Quantity(have)))
                    == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
