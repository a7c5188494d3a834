package io.runnerfleet.manager.trace;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** Reads a container's state from the Job Pod's status (one GET per question). */
public final class PodContainerStateProbe implements ContainerStateProbe {
    private final KubernetesClient client;
    private final String namespace;
    private final String pod;

    public PodContainerStateProbe(KubernetesClient client, String namespace, String pod) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
    }

    @Override
    public ContainerRunState state(String container) {
        return stateOf(client.pods().inNamespace(namespace).withName(pod).get(), container);
    }

    /** The state of {@code container} in {@code pod} (null: the pod is gone). Pure. */
    public static ContainerRunState stateOf(Pod pod, String container) {
        if (pod == null) {
            return ContainerRunState.POD_GONE;
        }
        PodStatus status = pod.getStatus();
        ContainerStatus cs = status == null ? null : find(status, container);
        if (cs != null && cs.getState() != null) {
            if (cs.getState().getTerminated() != null) {
                return ContainerRunState.TERMINATED;
            }
            if (cs.getState().getRunning() != null) {
                return ContainerRunState.RUNNING;
            }
        }
        String phase = status == null ? null : status.getPhase();
        boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
        boolean deleting = pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
        return finished || deleting ? ContainerRunState.WILL_NOT_RUN : ContainerRunState.NOT_STARTED;
    }

    private static ContainerStatus find(PodStatus status, String container) {
        List<ContainerStatus> all = new ArrayList<>();
        if (status.getInitContainerStatuses() != null) {
            all.addAll(status.getInitContainerStatuses());
        }
        if (status.getContainerStatuses() != null) {
            all.addAll(status.getContainerStatuses());
        }
        if (status.getEphemeralContainerStatuses() != null) {
            all.addAll(status.getEphemeralContainerStatuses());
        }
        return all.stream()
                .filter(c -> container.equals(c.getName()))
                .findFirst()
                .orElse(null);
    }
}
