package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Event;
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
    /** The merge patches below carry no resourceVersion: a 409 to one is sent again ({@link ConflictRetry}). */
    private final ConflictRetry conflicts;

    public JobPods(KubernetesClient client) {
        this(client, ConflictRetry.sleeping());
    }

    JobPods(KubernetesClient client, ConflictRetry conflicts) {
        this.client = client;
        this.conflicts = conflicts;
    }

    /**
     * Writes the job's record ({@link JobRecord#first}): the first thing written about a job. AlreadyExists means it
     * is written already (a resumed job's, or a retry): the stored one is returned.
     */
    public Secret record(Secret first) {
        String namespace = first.getMetadata().getNamespace();
        try {
            return client.secrets().inNamespace(namespace).resource(first).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return secret(namespace, first.getMetadata().getName());
        }
    }

    /**
     * The job's Secret (the first of {@code secrets}, already holding the record: {@link #record}) gets the pod's
     * env, the others are created, then the Pod, then each Secret is made the pod's, so that deleting the pod takes
     * them along; that last write also ends the job Secret's {@link JobRecord#AWAITING_POD} (sets it to
     * {@code false}). AlreadyExists means the Secret or pod is ours already (a retry, or a resumed job): it is used
     * as it is, never created twice.
     *
     * <p>The API server would accept the Pod before its Secrets, but a kubelet that starts it first fails the
     * containers whose env reads the job's Secret ({@code CreateContainerConfigError}, a runner configuration
     * failure in {@link PodVerdicts}) and pulls without the registry Secret; so they are not created in parallel.
     * Nothing is deleted when a call fails: the record stays until the job's failure is reported
     * ({@code JobRun.cleanUp}), so a manager that dies in between leaves a job its peers can still finish.
     */
    public Pod create(Pod pod, List<Secret> secrets) {
        String namespace = pod.getMetadata().getNamespace();
        addPodEnv(secrets.get(0));
        for (Secret secret : secrets.subList(1, secrets.size())) {
            try {
                client.secrets().inNamespace(namespace).resource(secret).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        Pod createdPod;
        try {
            createdPod = client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
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

    /** One JSON merge patch: the built Secret's labels and data join the record's. */
    private void addPodEnv(Secret built) {
        Secret env = new SecretBuilder()
                .withNewMetadata()
                .withLabels(built.getMetadata().getLabels())
                .endMetadata()
                .withStringData(built.getStringData())
                .build();
        String patch = client.getKubernetesSerialization().asJson(env);
        conflicts.write(() -> client.secrets()
                .inNamespace(built.getMetadata().getNamespace())
                .withName(built.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
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
     * One JSON merge patch (the pod as the Secret's only owner, and no longer awaiting it), not a read and a write
     * ({@code edit}): this is on every job's path to its pod, and the API server's writes are what bound the
     * dispatch rate (bench/README.md).
     */
    void ownSecret(Pod pod, String secretName) {
        if (pod == null || pod.getMetadata().getUid() == null) {
            return;
        }
        // "false" rather than removing the label (a null in a merge patch): the fabric8 mock API server keeps the
        // null, and both servers agree on a value. Written out, as the model's serialization drops nulls; names and
        // uids are DNS labels and UUIDs, nothing to escape.
        String owned = String.format(
                "{\"metadata\":{\"labels\":{\"%s\":\"false\"},\"ownerReferences\":[{\"apiVersion\":\"v1\","
                        + "\"kind\":\"Pod\",\"name\":\"%s\",\"uid\":\"%s\"}]}}",
                JobRecord.AWAITING_POD,
                pod.getMetadata().getName(),
                pod.getMetadata().getUid());
        conflicts.write(() -> client.secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(secretName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), owned));
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
