package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code image.executor_opts} (and a service's): what the job asks of the executor, read once at the edge as
 * gitlab-runner's {@code spec.ImageExecutorOptions} ({@code common/spec/spec.go}). Only {@code kubernetes.user} means
 * something here; {@code docker} options are accepted and ignored, as gitlab-runner's Kubernetes executor ignores them.
 *
 * @param kubernetesUser {@code kubernetes.user} as written ({@code "1000"}, {@code "1000:1000"}; a JSON number becomes
 *     its decimal text), or null when not set
 * @param unsupported gitlab-runner's words for each key it does not know, e.g. {@code Unsupported "image" options
 *     [podman] for "executor_opts"; supported options are [docker kubernetes]}; a job with any fails before its pod
 */
public record ImageExecutorOptions(String kubernetesUser, List<String> unsupported) {
    /** gitlab-runner's {@code supportedExecutorOptions}. */
    private static final Map<String, List<String>> SUPPORTED = Map.of(
            "docker", List.of("platform", "user"),
            "kubernetes", List.of("user"));

    public ImageExecutorOptions {
        kubernetesUser = kubernetesUser == null || kubernetesUser.isEmpty() ? null : kubernetesUser;
        unsupported = List.copyOf(unsupported);
    }

    public static ImageExecutorOptions none() {
        return new ImageExecutorOptions(null, List.of());
    }

    /** Reads {@code executor_opts} as GitLab sends it; never fails, unknown keys are collected. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ImageExecutorOptions read(JsonNode node) {
        if (node == null || !node.isObject()) {
            return none();
        }
        List<String> unsupported = new ArrayList<>();
        check(node, List.copyOf(new TreeSet<>(SUPPORTED.keySet())), "executor_opts", unsupported);
        for (Map.Entry<String, List<String>> executor : SUPPORTED.entrySet()) {
            JsonNode options = node.path(executor.getKey());
            if (options.isObject()) {
                check(options, executor.getValue(), executor.getKey() + " executor", unsupported);
            }
        }
        JsonNode user = node.path("kubernetes").path("user");
        String kubernetesUser = user.isTextual() || user.isIntegralNumber() ? user.asText() : null;
        return new ImageExecutorOptions(kubernetesUser, unsupported);
    }

    /** gitlab-runner's {@code executorOptions.validate}: section is always "image", as upstream says for services too. */
    private static void check(JsonNode options, List<String> supported, String executor, List<String> unsupported) {
        List<String> unknown = new ArrayList<>();
        options.fieldNames().forEachRemaining(key -> {
            if (!supported.contains(key)) {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            unsupported.add("Unsupported \"image\" options [" + String.join(" ", unknown) + "] for \"" + executor
                    + "\"; supported options are [" + String.join(" ", new TreeSet<>(supported)) + "]");
        }
    }
}
