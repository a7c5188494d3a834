package io.runnerfleet.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.runnerfleet.api.v1alpha1.DnsPolicy;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mapping between {@link ExecutorSpec} (camelCase, as in the CRD) and gitlab-runner's
 * {@code [runners.kubernetes]} table (snake_case). Most fields only change case; the rest are listed here:
 * per-container resources are flattened with a prefix ({@code cpu_limit}, {@code helper_cpu_limit},
 * {@code service_cpu_limit}), DNS splits into {@code dns_policy} and {@code dns_config}, tolerations become
 * gitlab-runner's {@code "key=value" = "Effect"} map, and a few keys carry gitlab-runner's own names.
 */
public final class ExecutorTomlMapping {
    private static final ObjectMapper SNAKE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final Pattern RESOURCE_KEY = Pattern.compile(
            "^(helper_|service_|pod_)?((?:cpu|memory|ephemeral_storage)_(?:limit|request)(?:_overwrite_max_allowed)?)$");
    private static final Map<String, String> CONTAINER_BY_PREFIX =
            Map.of("", "build", "helper_", "helper", "service_", "service", "pod_", "pod");
    private static final Map<String, String> RENAMED = Map.of(
            "service_account_name", "service_account",
            "build_security_context", "build_container_security_context",
            "helper_security_context", "helper_container_security_context",
            "service_security_context", "service_container_security_context",
            "prepare_security_context", "init_permissions_container_security_context");
    /** Keys that pass between the two shapes unchanged, in the order config.toml lists them. */
    private static final List<String> PLAIN_KEYS =
            List.of("namespace", "image", "helper_image", "privileged", "pull_policy", "allowed_pull_policies");

    private static final List<String> PLAIN_KEYS_AFTER_DNS = List.of(
            "node_selector",
            "service_account_name",
            "image_pull_secrets",
            "pod_labels",
            "pod_annotations",
            "pod_security_context",
            "build_security_context",
            "helper_security_context",
            "service_security_context",
            "prepare_security_context",
            "allowed_users",
            "allowed_groups",
            "poll_timeout",
            "priority_class_name",
            "runtime_class_name",
            "scheduler_name",
            "automount_service_account_token",
            "pod_termination_grace_period_seconds",
            "cleanup_grace_period_seconds",
            "cap_add",
            "cap_drop",
            "allow_privilege_escalation",
            "allowed_images",
            "allowed_services",
            "service_account_overwrite_allowed",
            "pod_labels_overwrite_allowed",
            "pod_annotations_overwrite_allowed",
            "node_selector_overwrite_allowed",
            "node_tolerations_overwrite_allowed",
            "pod_spec",
            "host_aliases",
            "services",
            "volumes");

    /**
     * gitlab-runner's key for {@code namespaceOverwrite.pattern}, written after {@code namespace} as gitlab-runner's
     * {@code KubernetesConfig} lists it. The list of namespaces lives in {@code [runners.runner_fleet]}
     * ({@link #OVERWRITE_NAMESPACES_KEY}): gitlab-runner has no such key.
     */
    static final String NAMESPACE_OVERWRITE_KEY = "namespace_overwrite_allowed";

    /**
     * gitlab-runner's key for {@code disruption.protect} ({@code common/config.go}, {@code PodDisruptionBudget}, off
     * when unset). Here unset means protected (README, "Drains wait for running jobs"), so it is written only when a
     * fleet turns protection off; {@code true} reads as unset. {@code disruption.maxWait} stays the operator's
     * ({@code fleet.JobPodRelease}) and never reaches config.toml.
     */
    static final String DISRUPTION_KEY = "pod_disruption_budget";

    /** In {@code [runners.runner_fleet]}: {@code namespaceOverwrite.allowed}. */
    public static final String OVERWRITE_NAMESPACES_KEY = "namespace_overwrite_namespaces";

    private ExecutorTomlMapping() {}

    /** {@code [runners.kubernetes]} for a spec, as plain maps and lists ready for the TOML writer. */
    public static Map<String, Object> toToml(ExecutorSpec spec) {
        Map<String, Object> snake = SNAKE.convertValue(spec, MAP);
        Map<String, Object> toml = new LinkedHashMap<>();
        for (String key : PLAIN_KEYS) {
            putIfPresent(toml, key, snake.get(key));
            if (key.equals("namespace")) {
                putIfPresent(
                        toml,
                        NAMESPACE_OVERWRITE_KEY,
                        spec.namespaceOverwriteOrNone().pattern());
            }
        }
        for (Map.Entry<String, String> container : List.of(
                Map.entry("", "build"),
                Map.entry("helper_", "helper"),
                Map.entry("service_", "service"),
                Map.entry("pod_", "pod"))) {
            Object resources = snake.get(container.getValue());
            if (resources instanceof Map<?, ?> map) {
                map.forEach((key, value) -> toml.put(container.getKey() + key, value));
            }
        }
        toml.put("dns_policy", spec.dns().policy().tomlValue());
        if (spec.dns().hasConfig()) {
            Map<String, Object> dnsConfig = new LinkedHashMap<>(SNAKE.convertValue(spec.dns(), MAP));
            dnsConfig.remove("policy");
            toml.put("dns_config", dnsConfig);
        }
        for (String key : PLAIN_KEYS_AFTER_DNS) {
            putIfPresent(toml, RENAMED.getOrDefault(key, key), snake.get(key));
        }
        if (!spec.tolerations().isEmpty()) {
            toml.put("node_tolerations", TolerationsToml.toToml(spec.tolerations()));
        }
        if (spec.affinity() != null) {
            toml.put("affinity", KeyCase.toSnake(spec.affinity()));
        }
        if (spec.containerLifecycle() != null) {
            toml.put("container_lifecycle", KeyCase.toSnake(spec.containerLifecycle()));
        }
        if (!spec.disruptionOrDefaults().protect()) {
            toml.put(DISRUPTION_KEY, false);
        }
        return toml;
    }

    /**
     * The spec a {@code [runners.kubernetes]} table describes. Keys this project does not model are reported in
     * {@code ignored} (by their full path) rather than dropped silently.
     */
    public static ExecutorSpec fromToml(
            Map<String, Object> toml, String sidecarMode, String path, List<String> ignored) {
        return fromToml(toml, sidecarMode, List.of(), path, ignored);
    }

    /**
     * As {@link #fromToml(Map, String, String, List)}, with {@code namespace_overwrite_namespaces} of
     * {@code [runners.runner_fleet]}.
     */
    public static ExecutorSpec fromToml(
            Map<String, Object> toml,
            String sidecarMode,
            List<String> overwriteNamespaces,
            String path,
            List<String> ignored) {
        Map<String, Object> snake = new LinkedHashMap<>();
        Map<String, Object> namespaceOverwrite = new LinkedHashMap<>();
        if (!overwriteNamespaces.isEmpty()) {
            namespaceOverwrite.put("allowed", overwriteNamespaces);
        }
        Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
        Map<String, Object> dns = new LinkedHashMap<>();
        Map<String, String> renamedBack = new LinkedHashMap<>();
        RENAMED.forEach((ours, theirs) -> renamedBack.put(theirs, ours));
        for (Map.Entry<String, Object> entry : toml.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            Matcher resource = RESOURCE_KEY.matcher(key);
            // gitlab-runner has no pod-level ephemeral storage (nor does Kubernetes).
            if (resource.matches()
                    && !(key.startsWith("pod_") && resource.group(2).startsWith("ephemeral"))) {
                String prefix = resource.group(1) == null ? "" : resource.group(1);
                resources
                        .computeIfAbsent(CONTAINER_BY_PREFIX.get(prefix), k -> new LinkedHashMap<>())
                        .put(resource.group(2), value);
            } else if (key.equals(NAMESPACE_OVERWRITE_KEY)) {
                namespaceOverwrite.put("pattern", value);
            } else if (key.equals("dns_policy")) {
                dns.put("policy", DnsPolicy.fromToml(String.valueOf(value)).name());
            } else if (key.equals("dns_config") && value instanceof Map<?, ?> config) {
                config.forEach((k, v) -> dns.put(String.valueOf(k), v));
            } else if (key.equals("node_tolerations") && value instanceof Map<?, ?> tolerations) {
                snake.put("tolerations", SNAKE.convertValue(TolerationsToml.fromToml(tolerations), Object.class));
            } else if (key.equals("affinity") || key.equals("container_lifecycle")) {
                // TOML integers are Long; JSON-like trees (and the CRD) hold Integer where it fits.
                snake.put(key, jsonNumbers(KeyCase.toCamel(value)));
            } else if (key.equals(DISRUPTION_KEY)) {
                if (!Boolean.TRUE.equals(value)) {
                    // false, or a wrong type that the conversion below refuses naming this key (fieldPath).
                    snake.put("disruption", Map.of("protect", value));
                }
            } else if (renamedBack.containsKey(key)) {
                snake.put(renamedBack.get(key), ProcMountToml.normalized(value));
            } else if (PLAIN_KEYS.contains(key) || PLAIN_KEYS_AFTER_DNS.contains(key)) {
                snake.put(key, value);
            } else {
                // KubernetesKeys says why (a gitlab-runner key not supported yet, or no gitlab-runner key at all).
                ignored.add(path + "." + key);
            }
        }
        snake.putAll(resources);
        if (!dns.isEmpty()) {
            snake.put("dns", dns);
        }
        if (sidecarMode != null) {
            snake.put("sidecar_mode", sidecarMode);
        }
        if (!namespaceOverwrite.isEmpty()) {
            snake.put("namespace_overwrite", namespaceOverwrite);
        }
        // A key inside a table we map (say volumes.csi, or proc_mount in a security context) that the model lacks is
        // a warning like a top-level one; a value of the wrong type still fails below, naming the field.
        Map<String, Object> known = UnknownKeys.known(snake, ExecutorSpec.class, path, RENAMED, ignored);
        try {
            return SNAKE.convertValue(known, ExecutorSpec.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    fieldPath(path, e.getCause()) + ": " + e.getMessage().split("\n")[0], e);
        }
    }

    /** The config.toml path of the value Jackson refused (e.g. {@code ...build_container_security_context.proc_mount}). */
    private static String fieldPath(String path, Throwable cause) {
        if (!(cause instanceof JsonMappingException mapping)) {
            return path;
        }
        List<JsonMappingException.Reference> references = mapping.getPath();
        StringBuilder out = new StringBuilder(path);
        for (int i = 0; i < references.size(); i++) {
            JsonMappingException.Reference reference = references.get(i);
            String name = reference.getFieldName();
            if (i == 0 && CONTAINER_BY_PREFIX.containsValue(name)) {
                // Resources are flat in config.toml (cpu_limit, helper_cpu_limit): the message names the field.
                return path;
            } else if (i == 0 && "disruption".equals(name)) {
                return path + "." + DISRUPTION_KEY;
            } else if (name == null) {
                out.append('[').append(reference.getIndex()).append(']');
            } else if (i > 0) {
                out.append('.').append(name);
            } else {
                out.append('.').append(RENAMED.getOrDefault(name, name));
            }
        }
        return out.toString();
    }

    private static Object jsonNumbers(Object tree) {
        try {
            // Through JSON text, because a tree keeps the Long type where parsing picks Integer when it fits.
            return SNAKE.readValue(SNAKE.writeValueAsBytes(tree), Object.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("affinity: " + e.getMessage(), e);
        }
    }

    private static void putIfPresent(Map<String, Object> toml, String key, Object value) {
        if (value != null) {
            toml.put(key, value);
        }
    }

    /** Lists of the keys {@link #fromToml} understands, for tests that check the mapping covers both ways. */
    static List<String> plainKeys() {
        List<String> keys = new ArrayList<>(PLAIN_KEYS);
        keys.addAll(PLAIN_KEYS_AFTER_DNS);
        return keys;
    }
}
