package io.runnerfleet.jobpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.zjsonpatch.JsonPatch;
import io.runnerfleet.api.v1alpha1.PodSpecPatch;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * gitlab-runner's {@code pod_spec} patches ({@code executors/kubernetes/kubernetes.go} {@code applyPodSpecMerge}),
 * applied in order to the finished pod spec: {@code json} is RFC 6902 (zjsonpatch), {@code merge} RFC 7386, and
 * {@code strategic} (the default) is RFC 7386 plus Kubernetes' merge keys for the pod spec's lists, which is the
 * subset of Kubernetes' strategic merge this project implements: lists of containers, init and ephemeral containers,
 * volumes, env, imagePullSecrets (by {@code name}), volumeMounts (by {@code mountPath}), ports (by
 * {@code containerPort}) and hostAliases (by {@code ip}) merge item by item, an item with {@code $patch: delete}
 * removes its match; every other list is replaced, as Kubernetes does for lists without a merge key.
 */
final class PodSpecPatches {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "ephemeralContainers", "name",
            "volumes", "name",
            "env", "name",
            "imagePullSecrets", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort",
            "hostAliases", "ip");

    private PodSpecPatches() {}

    static Pod apply(Pod pod, List<PodSpecPatch> patches) {
        if (patches.isEmpty()) {
            return pod;
        }
        JsonNode spec = JSON.valueToTree(pod.getSpec());
        for (int i = 0; i < patches.size(); i++) {
            PodSpecPatch patch = patches.get(i);
            String field = "spec.executor.podSpec[" + i + "] (" + patch.name() + ")";
            JsonNode body;
            try {
                body = YAML.readTree(patch.patch());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new JobPodException(field + ": the patch is neither YAML nor JSON: " + e.getOriginalMessage());
            }
            String type = patch.patchType() == null ? "strategic" : patch.patchType();
            try {
                spec = switch (type) {
                    case "json" -> JsonPatch.apply(body, spec);
                    case "merge" -> merge(spec, body, false);
                    default -> merge(spec, body, true);
                };
            } catch (RuntimeException e) {
                throw new JobPodException(field + ": the " + type + " patch does not apply: " + e.getMessage());
            }
        }
        try {
            return new PodBuilder(pod)
                    .withSpec(JSON.treeToValue(spec, PodSpec.class))
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            throw new JobPodException("spec.executor.podSpec: the patched spec is not a pod spec: " + e.getMessage());
        }
    }

    /** RFC 7386; with {@code strategic}, lists under a merge key merge item by item. */
    static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                result.remove(name);
            } else if (strategic
                    && value.isArray()
                    && MERGE_KEYS.containsKey(name)
                    && result.path(name).isArray()) {
                result.set(name, mergeList((ArrayNode) result.get(name), (ArrayNode) value, MERGE_KEYS.get(name)));
            } else {
                result.set(name, merge(result.get(name), value, strategic));
            }
        }
        return result;
    }

    private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, String key) {
        ArrayNode result = target.deepCopy();
        for (JsonNode item : patch) {
            int match = -1;
            for (int i = 0; i < result.size(); i++) {
                if (item.has(key) && result.get(i).path(key).equals(item.get(key))) {
                    match = i;
                }
            }
            boolean delete = "delete".equals(item.path("$patch").asText());
            if (delete && match >= 0) {
                result.remove(match);
            } else if (match >= 0) {
                result.set(match, merge(result.get(match), item, true));
            } else if (!delete) {
                result.add(item.deepCopy());
            }
        }
        return result;
    }
}
