package io.runnerfleet.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key of gitlab-runner's {@code [runners.kubernetes]} table (the toml tags of {@code KubernetesConfig} in its
 * {@code common/config.go}, plus the kinds of {@code [runners.kubernetes.volumes]}), each either supported, with the
 * RunnerFleet field it becomes, or dropped with a warning that says why. The one list: {@link ExecutorTomlMapping}
 * asks it what to do with a key it does not map, {@code import} prints its reasons, and the README's key table is
 * checked against it ({@code KubernetesKeysReadmeTest}).
 */
public final class KubernetesKeys {
    /** What happens to a key. */
    public enum Support {
        SUPPORTED("yes"),
        DROPPED("warned, dropped");

        private final String text;

        Support(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * One key: its name under {@code [runners.kubernetes]}, and either the RunnerFleet field (supported) or why it is
     * dropped.
     */
    public record Key(String toml, Support support, String fieldOrReason) {}

    private static final String CONNECTION =
            "how gitlab-runner reaches Kubernetes; managers use their own ServiceAccount in the cluster";
    private static final String API_RETRIES =
            "gitlab-runner's Kubernetes API client tuning; managers use fabric8's client with its own retries";
    private static final String HELPER_IMAGE_CHOICE =
            "gitlab-runner picks its own helper image; set helper_image (spec.executor.helperImage) instead";
    private static final String NOT_YET = "not supported by runner-fleet yet";
    private static final String RESOURCE_PREFIXES_FIELD = "spec.executor.";

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        dropped("host", CONNECTION);
        dropped("context", CONNECTION);
        dropped("cert_file", CONNECTION);
        dropped("key_file", CONNECTION);
        dropped("ca_file", CONNECTION);
        // Deliberately never (README): config.toml is a ConfigMap, no place for an API token, and a job's own token
        // (KUBERNETES_BEARER_TOKEN, executors/kubernetes/overwrites.go) would bypass the RBAC the operator grants.
        dropped(
                "bearer_token_overwrite_allowed",
                "a job's KUBERNETES_BEARER_TOKEN would bypass the least-privilege RBAC the operator grants managers; "
                        + "not supported by design");
        dropped(
                "bearer_token",
                "managers use their own ServiceAccount, whose RBAC the operator grants; an API token has no place in "
                        + "the config.toml ConfigMap; not supported by design");
        supported("image", "spec.executor.image");
        supported("namespace", "spec.executor.namespace");
        supported("namespace_overwrite_allowed", "spec.executor.namespaceOverwrite.pattern");
        dropped("namespace_per_job", "Job Pods run in the executor's namespace; " + NOT_YET);
        supported("privileged", "spec.executor.privileged");
        supported("runtime_class_name", "spec.executor.runtimeClassName");
        supported("allow_privilege_escalation", "spec.executor.allowPrivilegeEscalation");
        resources("", "build");
        resources("service_", "service");
        resources("helper_", "helper");
        for (String resource : List.of("cpu_limit", "cpu_request", "memory_limit", "memory_request")) {
            String field = RESOURCE_PREFIXES_FIELD + "pod." + KeyCase.camel(resource);
            supported("pod_" + resource, field);
            supported("pod_" + resource + "_overwrite_max_allowed", field + "OverwriteMaxAllowed");
        }
        supported("allowed_images", "spec.executor.allowedImages");
        supported("allowed_pull_policies", "spec.executor.allowedPullPolicies");
        supported("allowed_services", "spec.executor.allowedServices");
        supported("allowed_users", "spec.executor.allowedUsers");
        supported("allowed_groups", "spec.executor.allowedGroups");
        supported("pull_policy", "spec.executor.pullPolicy");
        supported("node_selector", "spec.executor.nodeSelector");
        supported("node_selector_overwrite_allowed", "spec.executor.nodeSelectorOverwriteAllowed");
        supported("node_tolerations", "spec.executor.tolerations");
        supported("node_tolerations_overwrite_allowed", "spec.executor.nodeTolerationsOverwriteAllowed");
        supported("affinity", "spec.executor.affinity");
        supported("image_pull_secrets", "spec.executor.imagePullSecrets");
        dropped(
                "use_service_account_image_pull_secrets",
                "the fleet's imagePullSecrets are always listed; leave them empty to use the ServiceAccount's");
        supported("helper_image", "spec.executor.helperImage");
        dropped("helper_image_flavor", HELPER_IMAGE_CHOICE);
        dropped("helper_image_autoset_arch_and_os", HELPER_IMAGE_CHOICE);
        supported("pod_termination_grace_period_seconds", "spec.executor.podTerminationGracePeriodSeconds");
        supported("cleanup_grace_period_seconds", "spec.executor.cleanupGracePeriodSeconds");
        dropped(
                "cleanup_resources_timeout",
                "the Job Pod owns its Secrets, so Kubernetes' garbage collector removes them with it");
        dropped("poll_interval", "managers watch their Job Pods instead of polling them");
        supported("poll_timeout", "spec.executor.pollTimeout");
        dropped(
                "resource_availability_check_max_attempts",
                "the pod is created at once; a missing ServiceAccount or pull Secret fails it as Kubernetes reports");
        dropped("retry_limit", API_RETRIES);
        dropped("retry_backoff_max", API_RETRIES);
        dropped("retry_limits", API_RETRIES);
        supported("pod_labels", "spec.executor.podLabels");
        supported("pod_labels_overwrite_allowed", "spec.executor.podLabelsOverwriteAllowed");
        supported("scheduler_name", "spec.executor.schedulerName");
        supported("service_account", "spec.executor.serviceAccountName");
        supported("service_account_overwrite_allowed", "spec.executor.serviceAccountOverwriteAllowed");
        supported("automount_service_account_token", "spec.executor.automountServiceAccountToken");
        supported("pod_annotations", "spec.executor.podAnnotations");
        supported("pod_annotations_overwrite_allowed", "spec.executor.podAnnotationsOverwriteAllowed");
        supported("pod_security_context", "spec.executor.podSecurityContext");
        supported("init_permissions_container_security_context", "spec.executor.prepareSecurityContext");
        supported("build_container_security_context", "spec.executor.buildSecurityContext");
        supported("helper_container_security_context", "spec.executor.helperSecurityContext");
        supported("service_container_security_context", "spec.executor.serviceSecurityContext");
        supported("volumes.host_path", "spec.executor.volumes.hostPath");
        supported("volumes.pvc", "spec.executor.volumes.pvc");
        supported("volumes.config_map", "spec.executor.volumes.configMap");
        supported("volumes.secret", "spec.executor.volumes.secret");
        supported("volumes.empty_dir", "spec.executor.volumes.emptyDir");
        supported("volumes.csi", "spec.executor.volumes.csi");
        supported("volumes.nfs", "spec.executor.volumes.nfs");
        supported("host_aliases", "spec.executor.hostAliases");
        supported("services", "spec.executor.services");
        supported("cap_add", "spec.executor.capAdd");
        supported("cap_drop", "spec.executor.capDrop");
        dropped("suspend_pvc_size", "suspendable job environments are " + NOT_YET);
        dropped("suspend_pvc_storage_class", "suspendable job environments are " + NOT_YET);
        supported("dns_policy", "spec.executor.dns.policy");
        supported("dns_config", "spec.executor.dns");
        supported("container_lifecycle", "spec.executor.containerLifecycle");
        supported("priority_class_name", "spec.executor.priorityClassName");
        supported("pod_spec", "spec.executor.podSpec");
        dropped("logs_base_dir", "Job Pods keep no log files; the manager streams the containers' logs");
        dropped("scripts_base_dir", "the scripts are the containers' commands, not files");
        dropped("print_pod_warning_events", NOT_YET);
        // Unset protects here, unlike gitlab-runner (README, "Drains wait for running jobs"; ExecutorTomlMapping).
        supported("pod_disruption_budget", "spec.executor.disruption.protect");
        // Not the managers' business: the operator keeps a fleet's pause pods, and import maps the table
        // (importer.ImportedWarmCapacity), so only a manager reading a hand-written config.toml reports it unused.
        dropped("autoscaler", "the operator keeps pause pods (spec.warmCapacity, which import fills from this table)");
    }

    private KubernetesKeys() {}

    /** Every key, in gitlab-runner's order. */
    public static List<Key> all() {
        return List.copyOf(KEYS.values());
    }

    /** A key of {@code [runners.kubernetes]} ({@code volumes.csi} for a volume kind). */
    public static Optional<Key> find(String toml) {
        return Optional.ofNullable(KEYS.get(toml));
    }

    /** The keys this project maps, for the mapping's own checks. */
    static List<String> supported() {
        List<String> keys = new ArrayList<>();
        KEYS.values().stream().filter(k -> k.support() == Support.SUPPORTED).forEach(k -> keys.add(k.toml()));
        return keys;
    }

    /**
     * What import prints for a key that is not mapped: a key of this list, a key inside a table of it (such as
     * {@code build_container_security_context.proc_mount}), or a key gitlab-runner does not have.
     */
    public static String dropReason(String toml) {
        Key key = KEYS.get(toml);
        if (key == null) {
            String top = toml.split("[.\\[]", 2)[0];
            boolean insideKnownTable = !top.equals(toml) && (KEYS.containsKey(top) || top.equals("volumes"));
            return insideKnownTable
                    ? NOT_YET + "; dropped"
                    : "not a key of gitlab-runner's [runners.kubernetes]; dropped";
        }
        if (key.support() == Support.SUPPORTED) {
            throw new IllegalStateException(toml + " is supported but was not mapped");
        }
        return key.fieldOrReason() + "; dropped";
    }

    private static void resources(String prefix, String container) {
        for (String resource : List.of(
                "cpu_limit",
                "cpu_request",
                "memory_limit",
                "memory_request",
                "ephemeral_storage_limit",
                "ephemeral_storage_request")) {
            String field = RESOURCE_PREFIXES_FIELD + container + "." + KeyCase.camel(resource);
            supported(prefix + resource, field);
            supported(prefix + resource + "_overwrite_max_allowed", field + "OverwriteMaxAllowed");
        }
    }

    private static void supported(String toml, String field) {
        KEYS.put(toml, new Key(toml, Support.SUPPORTED, field));
    }

    private static void dropped(String toml, String reason) {
        KEYS.put(toml, new Key(toml, Support.DROPPED, reason));
    }
}
