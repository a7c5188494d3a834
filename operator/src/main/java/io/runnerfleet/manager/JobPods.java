package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The Kubernetes calls of a job's life: create its Secrets and Pod, read its events, delete them all. */
public final class JobPods {
    private final KubernetesClient client;

    public JobPods(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Secrets first (the pod's containers read the job's, the kubelet pulls with the registry one), then the Pod,
     * then each Secret is made the pod's, so that deleting the pod takes them along. AlreadyExists means the pod is
     * ours already (a retry, or adoption): it is used as it is, never created twice.
     *
     * <p>The API server would accept the Pod before its Secrets, but a kubelet that starts it first fails the
     * containers whose env reads the job's Secret ({@code CreateContainerConfigError}, a runner configuration
     * failure in {@link PodVerdicts}) and pulls without the registry Secret; so they are not created in parallel.
     */
    public Pod create(Pod pod, List<Secret> secrets) {
        String namespace = pod.getMetadata().getNamespace();
        List<String> created = new java.util.ArrayList<>();
        for (Secret secret : secrets) {
            try {
                client.secrets().inNamespace(namespace).resource(secret).create();
                created.add(secret.getMetadata().getName());
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    created.forEach(name -> deleteSecret(namespace, name));
                    throw e;
                }
            }
        }
        Pod createdPod;
        try {
            createdPod = client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                secrets.forEach(
                        secret -> deleteSecret(namespace, secret.getMetadata().getName()));
                throw e;
            }
            createdPod = client.pods()
                    .inNamespace(namespace)
                    .withName(pod.getMetadata().getName())
                    .get();
        }
        for (Secret secret : secrets) {
            ownSecret(createdPod, secret.getMetadata().getName());
        }
        return createdPod;
    }

    /**
     * Replaces the Job Pod by {@code pod} (same name), keeping the job's Secrets: they are first made nobody's, so
     * the garbage collector does not take them with the old pod, then the old pod is deleted at once, and once it is
     * gone the new one is created and owns them again ({@link #create}).
     */
    public Pod recreate(Pod pod, List<Secret> secrets, Duration waitAtMost) throws InterruptedException {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        for (Secret secret : secrets) {
            try {
                client.secrets()
                        .inNamespace(namespace)
                        .withName(secret.getMetadata().getName())
                        .edit(s -> {
                            s.getMetadata().setOwnerReferences(List.of());
                            return s;
                        });
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
            }
        }
        try {
            client.pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .withGracePeriod(0)
                    .delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
        Instant deadline = Instant.now().plus(waitAtMost);
        while (client.pods().inNamespace(namespace).withName(name).get() != null) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the failed Job Pod " + name + " was not gone after " + waitAtMost);
            }
            Thread.sleep(200);
        }
        return create(pod, secrets);
    }

    /**
     * One JSON merge patch (the pod as the Secret's only owner), not a read and a write ({@code edit}): this is on
     * every job's path to its pod, and the API server's writes are what bound the dispatch rate (bench/README.md).
     */
    private void ownSecret(Pod pod, String secretName) {
        if (pod == null || pod.getMetadata().getUid() == null) {
            return;
        }
        Secret owned = new SecretBuilder()
                .withNewMetadata()
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid())
                        .build())
                .endMetadata()
                .build();
        client.secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(secretName)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        client.getKubernetesSerialization().asJson(owned));
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
     * Deletes the pod (with a grace period, so after_script and uploads may finish on cancel) and the job's
     * Secrets (those it never had are not found, which is fine), and waits until the pod is gone: the job's slot is
     * held until then.
     */
    public void delete(String namespace, String podName, List<String> secretNames, Duration grace, Duration waitAtMost)
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
        secretNames.forEach(name -> deleteSecret(namespace, name));
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
