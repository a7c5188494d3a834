package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.runnerfleet.api.v1alpha1.PullPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The next try after an image pull failure, as gitlab-runner's pull manager decides it
 * ({@code executors/kubernetes/internal/pull/manager.go}, used by {@code withPullRetry} in
 * {@code executors/kubernetes/kubernetes.go}): each container walks its own list of pull policies
 * ({@link JobPodBuilder#pullPolicies}); a pull failure of one container moves that container to its next policy and
 * the whole Job Pod is made again; past its last policy the job fails. Pure: which policy a container is at is read
 * from the failed pod itself, so a manager that adopted the job continues where its peer was.
 *
 * @param container the container whose image could not be pulled
 * @param image     its image
 * @param failed    the policy it failed with
 * @param next      the policy to try now
 * @param attempt   the number of the try about to start (the first fallback is attempt 2), as gitlab-runner counts
 */
public record PullFallback(String container, String image, PullPolicy failed, PullPolicy next, int attempt) {

    /**
     * @param failedPod the pod whose {@code container} could not pull its image
     * @param policies  every container's pull policies, from {@link JobPodBuilder#pullPolicies}
     * @return the next try, or empty when the container has no policy left (or the cluster's default, which has no
     *     list to walk)
     */
    public static Optional<PullFallback> after(
            Pod failedPod, String container, Map<String, List<PullPolicy>> policies) {
        List<PullPolicy> own = policies.getOrDefault(container, List.of());
        Optional<Container> failing = containers(failedPod).stream()
                .filter(c -> c.getName().equals(container))
                .findFirst();
        if (failing.isEmpty()) {
            return Optional.empty();
        }
        int at = indexOf(own, failing.get().getImagePullPolicy());
        if (at < 0 || at + 1 >= own.size()) {
            return Optional.empty();
        }
        int fallbacksSoFar = 0;
        for (Container c : containers(failedPod)) {
            fallbacksSoFar +=
                    Math.max(0, indexOf(policies.getOrDefault(c.getName(), List.of()), c.getImagePullPolicy()));
        }
        return Optional.of(new PullFallback(
                container, failing.get().getImage(), own.get(at), own.get(at + 1), fallbacksSoFar + 2));
    }

    /**
     * The Job Pod to create for this try: {@code built} (the job's pod as {@link JobPodBuilder} makes it) with every
     * container at the policy it had in {@code failedPod}, except this one, which moves to {@link #next}.
     */
    public Pod applyTo(Pod built, Pod failedPod) {
        Pod pod = new PodBuilder(built).build();
        for (Container c : containers(pod)) {
            if (c.getName().equals(container)) {
                c.setImagePullPolicy(next.kubernetesValue());
                continue;
            }
            containers(failedPod).stream()
                    .filter(f -> f.getName().equals(c.getName()))
                    .map(Container::getImagePullPolicy)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .ifPresent(c::setImagePullPolicy);
        }
        return pod;
    }

    /** gitlab-runner's two lines ({@code UpdatePolicyForContainer}): the failure, then what is tried next. */
    public List<String> traceLines(String pullError) {
        return List.of(
                "WARNING: Failed to pull image \"" + image + "\" for container \"" + container + "\" with policy \""
                        + failed.kubernetesValue() + "\": image pull failed: " + pullError,
                "Attempt #" + attempt + ": Trying \"" + next.kubernetesValue() + "\" pull policy for \"" + image
                        + "\" image for container \"" + container + "\"");
    }

    private static int indexOf(List<PullPolicy> policies, String kubernetesValue) {
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).kubernetesValue().equals(kubernetesValue)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Container> containers(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod != null && pod.getSpec() != null) {
            all.addAll(Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.of()));
            all.addAll(Objects.requireNonNullElse(pod.getSpec().getContainers(), List.of()));
        }
        return all;
    }
}
