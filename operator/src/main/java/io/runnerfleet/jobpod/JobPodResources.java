package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one job becomes: the Pod; the per-job Secret holding the job token, the repository URL (it embeds the
 * token) and every secret variable; and, when the job has registry credentials, a {@code dockerconfigjson} Secret
 * the pod's {@code imagePullSecrets} name. Create the Secrets first; the Pod refers to them.
 */
public record JobPodResources(Pod pod, Secret secret, Optional<Secret> registrySecret) {

    public JobPodResources {
        registrySecret = registrySecret == null ? Optional.empty() : registrySecret;
    }

    public JobPodResources(Pod pod, Secret secret) {
        this(pod, secret, Optional.empty());
    }

    /** The Secrets, the job's first. */
    public List<Secret> secrets() {
        List<Secret> secrets = new ArrayList<>(List.of(secret));
        registrySecret.ifPresent(secrets::add);
        return secrets;
    }
}
