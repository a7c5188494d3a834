package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The Kubernetes calls of a job's life: create its Secret and Pod, read its events, delete both. */
public final class JobPods {
    private final KubernetesClient client;

    public JobPods(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Secret first (the pod's containers read it), then the Pod, then the Secret is made the pod's, so that
     * deleting the pod takes it along. AlreadyExists means the pod is ours already (a retry, or adoption): it is
     * used as it is, never created twice.
     */
    public Pod create(Pod pod, Secret secret) {
        String namespace = pod.getMetadata().getNamespace();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        Pod created;
        try {
            created = client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                deleteSecret(namespace, secret.getMetadata().getName());
                throw e;
            }
            created = client.pods()
                    .inNamespace(namespace)
                    .withName(pod.getMetadata().getName())
                    .get();
        }
        ownSecret(created, secret.getMetadata().getName());
        return created;
    }

    private void ownSecret(Pod pod, String secretName) {
        if (pod == null || pod.getMetadata().getUid() == null) {
            return;
        }
        client.secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(secretName)
                .edit(s -> {
                    s.getMetadata()
                            .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                                    .withApiVersion("v1")
                                    .withKind("Pod")
                                    .withName(pod.getMetadata().getName())
                                    .withUid(pod.getMetadata().getUid())
                                    .build()));
                    return s;
                });
    }

    public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    /** The pod's Warning events, oldest first, as {@code kubectl describe} lists them. */
    public List<String> warnings(String namespace, String podName) {
        try {
            return client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null
                            && podName.equals(e.getInvolvedObject().getName()))
                    .filter(e -> "Warning".equals(e.getType()))
                    .sorted(Comparator.comparing(JobPods::when, Comparator.nullsLast(Comparator.naturalOrder())))
                    .map(e -> "Warning " + e.getReason() + ": " + e.getMessage())
                    .toList();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    private static String when(Event event) {
        return Objects.requireNonNullElse(event.getLastTimestamp(), event.getFirstTimestamp());
    }

    /**
     * Deletes the pod (with a grace period, so after_script and uploads may finish on cancel) and its Secret, and
     * waits until the pod is gone: the job's slot is held until then.
     */
    public void delete(String namespace, String podName, String secretName, Duration grace, Duration waitAtMost)
            throws InterruptedException {
        try {
            client.pods()
                    .inNamespace(namespace)
                    .withName(podName)
                    .withGracePeriod(grace.toSeconds())
                    .delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
        deleteSecret(namespace, secretName);
        Instant deadline = Instant.now().plus(waitAtMost);
        while (client.pods().inNamespace(namespace).withName(podName).get() != null
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
    }

    private void deleteSecret(String namespace, String name) {
        try {
            client.secrets().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }
}
