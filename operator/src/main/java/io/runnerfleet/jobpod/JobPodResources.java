package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * What one job becomes: the Pod and the per-job Secret holding the job token, the repository URL (it embeds the
 * token) and every secret variable. Create the Secret first; the Pod refers to it.
 */
public record JobPodResources(Pod pod, Secret secret) {}
