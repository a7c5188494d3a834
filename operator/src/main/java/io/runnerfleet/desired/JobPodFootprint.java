package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * What a fleet's Job Pod takes of a node and where it may go, as the scheduler sees it: a pause pod with this
 * footprint holds exactly one Job Pod's room. Read off a built Job Pod ({@code jobpod.JobPodFootprints}), never
 * computed a second time from the executor's settings.
 *
 * @param requests the pod's effective requests (regular containers and native sidecars together, or the largest
 *     init container when that is more), by resource name
 */
public record JobPodFootprint(
        Map<String, Quantity> requests,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Affinity affinity,
        String runtimeClassName) {

    public JobPodFootprint {
        requests = Map.copyOf(requests);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }
}
