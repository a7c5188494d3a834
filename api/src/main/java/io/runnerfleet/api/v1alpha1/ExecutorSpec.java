package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** How Job Pods are built: gitlab-runner's {@code [runners.kubernetes]}. */
// An empty list is the same as none (the Java model writes [] for an unset list): empty allowedPullPolicies allows
// any policy, empty pullPolicy uses the first allowed one (PullPolicies.resolve).
@ValidationRule(
        value = "!has(self.allowedPullPolicies) || !has(self.pullPolicy) "
                + "|| size(self.allowedPullPolicies) == 0 || size(self.pullPolicy) == 0 "
                + "|| self.pullPolicy.exists(p, p in self.allowedPullPolicies)",
        message = "executor.pullPolicy must include at least one of executor.allowedPullPolicies")
// On the executor, not on its pod field: the CRD generator writes a rule on a record component twice (field and
// accessor), and server-side apply refuses a CRD with duplicate rules.
@ValidationRule(
        value = "!has(self.pod) || (!has(self.pod.ephemeralStorageLimit) && !has(self.pod.ephemeralStorageRequest)"
                + " && !has(self.pod.ephemeralStorageLimitOverwriteMaxAllowed)"
                + " && !has(self.pod.ephemeralStorageRequestOverwriteMaxAllowed))",
        message = "pod-level resources take cpu and memory only (pod_cpu_limit, pod_memory_request, ...)")
public record ExecutorSpec(
        @Pattern(Patterns.DNS1123_LABEL)
        @Size(max = 63)
        @JsonPropertyDescription("Namespace the Job Pods run in. Defaults to the fleet's namespace.")
        String namespace,

        @JsonPropertyDescription("Namespaces a job may move its Job Pod to with `KUBERNETES_NAMESPACE_OVERWRITE` "
                + "(`namespace_overwrite_allowed`); unset ignores that variable.")
        NamespaceOverwrite namespaceOverwrite,

        @JsonPropertyDescription("Build image for jobs that name none, e.g. `alpine:3.20`.")
        String image,

        @JsonPropertyDescription("Helper image: clones sources, moves artifacts and cache, e.g. "
                + "`registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0`.")
        String helperImage,

        @Default("false")
        @JsonPropertyDescription("Run every container privileged. Docker-in-Docker services need it; a container "
                + "security context below can override it per kind.")
        Boolean privileged,

        @JsonPropertyDescription("Image pull policies tried in order: `always`, `if-not-present`, `never`. A job's "
                + "`image.pull_policy` wins. Empty uses the cluster's default.")
        @Size(max = 3)
        List<PullPolicy> pullPolicy,

        @JsonPropertyDescription("Pull policies a job may ask for; empty allows any.") @Size(max = 3)
        List<PullPolicy> allowedPullPolicies,

        @JsonPropertyDescription("Resources of the build container (`cpu_limit`, `memory_request`, ...).")
        ContainerResources build,

        @JsonPropertyDescription("Resources of the helper containers (`helper_cpu_limit`, ...).")
        ContainerResources helper,

        @JsonPropertyDescription("Resources of each service container (`service_cpu_limit`, ...).")
        ContainerResources service,

        @JsonPropertyDescription("DNS of the Job Pods (`dns_policy` and `[runners.kubernetes.dns_config]`).")
        DnsSpec dns,

        @JsonPropertyDescription("Node labels a node must carry to run Job Pods (`node_selector`).")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Tolerations of the Job Pods (`node_tolerations`).")
        List<Toleration> tolerations,

        @PreserveUnknownFields
        @JsonPropertyDescription("Kubernetes affinity of the Job Pods, written as in a Pod spec (`nodeAffinity`, "
                + "`podAffinity`, `podAntiAffinity`).")
        Object affinity,

        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @JsonPropertyDescription("ServiceAccount the Job Pods run as (`service_account`).")
        String serviceAccountName,

        @JsonPropertyDescription("Secrets for pulling job and service images (`image_pull_secrets`).")
        List<@Pattern(Patterns.DNS1123_SUBDOMAIN) String> imagePullSecrets,

        @JsonPropertyDescription("Extra labels on every Job Pod (`pod_labels`).")
        Map<String, String> podLabels,

        @JsonPropertyDescription("Extra annotations on every Job Pod (`pod_annotations`).")
        Map<String, String> podAnnotations,

        @JsonPropertyDescription("Services every job gets, before its own (`[[runners.kubernetes.services]]`).")
        List<RunnerService> services,

        @JsonPropertyDescription("Extra volumes of every Job Pod (`[runners.kubernetes.volumes]`).")
        VolumesSpec volumes,

        @JsonPropertyDescription("Extra `/etc/hosts` entries of every Job Pod (`host_aliases`).")
        List<HostAlias> hostAliases,

        @JsonPropertyDescription("Security settings of the Job Pod (`pod_security_context`).")
        PodSecurityContextSpec podSecurityContext,

        @JsonPropertyDescription("Security settings of the build container (`build_container_security_context`).")
        ContainerSecurityContextSpec buildSecurityContext,

        @JsonPropertyDescription(
                "Security settings of the helper containers " + "(`helper_container_security_context`).")
        ContainerSecurityContextSpec helperSecurityContext,

        @JsonPropertyDescription(
                "Security settings of the service containers " + "(`service_container_security_context`).")
        ContainerSecurityContextSpec serviceSecurityContext,

        @JsonPropertyDescription("Security settings of the `prepare` init container, which fetches the sources, cache "
                + "and artifacts (`init_permissions_container_security_context`, gitlab-runner's init container); "
                + "unset, it runs with helperSecurityContext.")
        ContainerSecurityContextSpec prepareSecurityContext,

        @JsonPropertyDescription("User ids a job may run its image or services as with `image: kubernetes: user` "
                + "(`allowed_users`). Empty allows any id but root (0), which must be listed. A refused or configured "
                + "one (a runAsUser in a security context above wins) leaves the container as configured, with a "
                + "warning in the job's log, as gitlab-runner does.")
        List<@Pattern("^[0-9]+$") String> allowedUsers,

        @JsonPropertyDescription("Group ids a job may run its image or services as with `image: kubernetes: user: "
                + "\"UID:GID\"` (`allowed_groups`); the same rules as `allowedUsers`.")
        List<@Pattern("^[0-9]+$") String> allowedGroups,

        @Min(1)
        @Default("180")
        @JsonPropertyDescription("Seconds a Job Pod may stay Pending (unschedulable, pulling) before the job fails "
                + "with runner_system_failure (`poll_timeout`).")
        Integer pollTimeout,

        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @JsonPropertyDescription("PriorityClass of the Job Pods (`priority_class_name`).")
        String priorityClassName,

        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @JsonPropertyDescription("RuntimeClass of the Job Pods, e.g. `gvisor` (`runtime_class_name`).")
        String runtimeClassName,

        @JsonPropertyDescription(
                "Scheduler that places the Job Pods (`scheduler_name`); empty for the default scheduler.")
        String schedulerName,

        @Default("false")
        @JsonPropertyDescription(
                "Mount the ServiceAccount token into the Job Pods (`automount_service_account_token`). "
                        + "Off unless set: a job gets no Kubernetes credentials it did not ask for.")
        Boolean automountServiceAccountToken,

        @Min(0)
        @JsonPropertyDescription("`terminationGracePeriodSeconds` of the Job Pods "
                + "(`pod_termination_grace_period_seconds`); a cancel still waits for after_script.")
        Long podTerminationGracePeriodSeconds,

        @Min(0)
        @JsonPropertyDescription("Grace period of the delete that removes a finished Job Pod "
                + "(`cleanup_grace_period_seconds`); 0 when unset, as its containers have exited.")
        Long cleanupGracePeriodSeconds,

        @JsonPropertyDescription("Linux capabilities added to every container (`cap_add`), e.g. `SYS_ADMIN`; a "
                + "container security context's own list wins.")
        List<String> capAdd,

        @JsonPropertyDescription(
                "Linux capabilities dropped from every container (`cap_drop`); `NET_RAW` is " + "dropped unless added.")
        List<String> capDrop,

        @JsonPropertyDescription("`allowPrivilegeEscalation` of every container (`allow_privilege_escalation`); a "
                + "container security context's own value wins. Unset leaves the Kubernetes default.")
        Boolean allowPrivilegeEscalation,

        @JsonPropertyDescription("Images a job may use as its image (`allowed_images`): patterns where `*` "
                + "matches within a path segment and `**` across segments. Empty allows any.")
        List<String> allowedImages,

        @JsonPropertyDescription("Images a job may use as services (`allowed_services`), patterns as "
                + "`allowedImages`. Empty allows any.")
        List<String> allowedServices,

        @JsonPropertyDescription("Pod-level resources of the Job Pods (`pod_cpu_limit`, `pod_memory_request`, ...; "
                + "Kubernetes 1.34+ or the PodLevelResources feature gate), shared by all containers.")
        ContainerResources pod,

        @PreserveUnknownFields
        @JsonPropertyDescription("`postStart` / `preStop` hooks of the build, helper and service containers, written "
                + "as a Kubernetes `lifecycle` (`container_lifecycle`).")
        Object containerLifecycle,

        @JsonPropertyDescription(
                "Regular expression a job's `KUBERNETES_SERVICE_ACCOUNT_OVERWRITE` must match to override (`service_account_overwrite_allowed`); "
                        + "unset ignores those variables.")
        String serviceAccountOverwriteAllowed,

        @JsonPropertyDescription(
                "Regular expression a job's `KUBERNETES_POD_LABELS_*` must match to override (`pod_labels_overwrite_allowed`); "
                        + "unset ignores those variables.")
        String podLabelsOverwriteAllowed,

        @JsonPropertyDescription(
                "Regular expression a job's `KUBERNETES_POD_ANNOTATIONS_*` must match to override (`pod_annotations_overwrite_allowed`); "
                        + "unset ignores those variables.")
        String podAnnotationsOverwriteAllowed,

        @JsonPropertyDescription(
                "Regular expression a job's `KUBERNETES_NODE_SELECTOR_*` must match to override (`node_selector_overwrite_allowed`); "
                        + "unset ignores those variables.")
        String nodeSelectorOverwriteAllowed,

        @JsonPropertyDescription(
                "Regular expression a job's `KUBERNETES_NODE_TOLERATIONS_*` must match to override (`node_tolerations_overwrite_allowed`); "
                        + "unset ignores those variables.")
        String nodeTolerationsOverwriteAllowed,

        @JsonPropertyDescription("Patches applied to every Job Pod's spec last, in order (`pod_spec`): "
                + "gitlab-runner's `strategic`, `merge` or `json` patches.")
        List<PodSpecPatch> podSpec,

        @Default("native")
        @JsonPropertyDescription("`native`: services are init containers with `restartPolicy: Always` and a startup "
                + "probe, so the build starts once they listen (Kubernetes 1.29+). `containers`: ordinary containers, "
                + "for older clusters.")
        SidecarMode sidecarMode,

        @JsonPropertyDescription("Whether a `kubectl drain` or the cluster-autoscaler may evict running Job Pods "
                + "(PodDisruptionBudget `<fleet>-jobs`, `safe-to-evict` annotation); unset protects them.")
        DisruptionSpec disruption,

        @JsonPropertyDescription("`quota` (the default): a manager asks GitLab for a job only while every "
                + "ResourceQuota of the executor namespace has room for one more Job Pod of the fleet's size (the "
                + "requests of build, helper and the executor's services, as `explain` prints them); otherwise it "
                + "leaves the job to other runners, counts it in `runner_fleet_requests_skipped_total` and the "
                + "fleet's `CapacityLimited` condition says which quota is full. `none`: ask whenever a slot is free, "
                + "as gitlab-runner does (a pod over quota is refused and its job fails). `nodes`: the quota check, "
                + "and also only while some Ready, schedulable node the Job Pod may run on (taints it tolerates, its "
                + "nodeSelector) has allocatable cpu, memory and pods left for it after its pods' requests; the "
                + "managers then read nodes and pods cluster-wide (a ClusterRole the operator grants only then).")
        CapacityAware capacityAware,

        @JsonPropertyDescription("Docker-in-Docker services: whether dockerd inherits the Job Pod's MTU and DNS "
                + "(`dind.inherit`, on unless set to false).")
        DindSpec dind) {

    public static final int DEFAULT_POLL_TIMEOUT = 180;

    public ExecutorSpec {
        // Left null when unset or empty, so a fleet without it reads and prints as before.
        namespaceOverwrite = namespaceOverwrite == null || namespaceOverwrite.isNone() ? null : namespaceOverwrite;
        privileged = privileged != null && privileged;
        pullPolicy = pullPolicy == null ? List.of() : List.copyOf(pullPolicy);
        allowedPullPolicies = allowedPullPolicies == null ? List.of() : List.copyOf(allowedPullPolicies);
        build = build == null ? ContainerResources.none() : build;
        helper = helper == null ? ContainerResources.none() : helper;
        service = service == null ? ContainerResources.none() : service;
        dns = dns == null ? new DnsSpec(null, null, null, null) : dns;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);

        imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
        podAnnotations = podAnnotations == null ? Map.of() : Map.copyOf(podAnnotations);
        services = services == null ? List.of() : List.copyOf(services);
        volumes = volumes == null ? VolumesSpec.none() : volumes;
        hostAliases = hostAliases == null ? List.of() : List.copyOf(hostAliases);
        allowedUsers = allowedUsers == null ? List.of() : List.copyOf(allowedUsers);
        allowedGroups = allowedGroups == null ? List.of() : List.copyOf(allowedGroups);
        pollTimeout = pollTimeout == null ? DEFAULT_POLL_TIMEOUT : pollTimeout;
        automountServiceAccountToken = automountServiceAccountToken != null && automountServiceAccountToken;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        allowedImages = allowedImages == null ? List.of() : List.copyOf(allowedImages);
        allowedServices = allowedServices == null ? List.of() : List.copyOf(allowedServices);
        pod = pod == null ? ContainerResources.none() : pod;
        podSpec = podSpec == null ? List.of() : List.copyOf(podSpec);
        sidecarMode = sidecarMode == null ? SidecarMode.NATIVE : sidecarMode;
        dind = dind == null ? DindSpec.defaults() : dind;
    }

    /** {@link #disruption()}, or {@link DisruptionSpec#defaults()} when unset. */
    public DisruptionSpec disruptionOrDefaults() {
        return disruption == null ? DisruptionSpec.defaults() : disruption;
    }

    /** {@link #capacityAware()}, or {@link CapacityAware#QUOTA} when unset (left null so unset fleets print as before). */
    public CapacityAware capacityAwareOrDefault() {
        return capacityAware == null ? CapacityAware.QUOTA : capacityAware;
    }

    /** {@link #namespaceOverwrite()}, or {@link NamespaceOverwrite#none()} when unset. */
    public NamespaceOverwrite namespaceOverwriteOrNone() {
        return namespaceOverwrite == null ? NamespaceOverwrite.none() : namespaceOverwrite;
    }

    /** The same executor with its namespace resolved, e.g. to the fleet's own when none was given. */
    public ExecutorSpec withNamespace(String resolvedNamespace) {
        return toBuilder().namespace(resolvedNamespace).build();
    }

    public static ExecutorSpec defaults() {
        return builder().build();
    }

    /** A builder with nothing set: what {@link #build()} returns then is {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this executor's settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets components by name; unset ones take the defaults of the canonical constructor. */
    public static final class Builder {
        private String namespace;
        private NamespaceOverwrite namespaceOverwrite;
        private String image;
        private String helperImage;
        private Boolean privileged;
        private List<PullPolicy> pullPolicy;
        private List<PullPolicy> allowedPullPolicies;
        private ContainerResources build;
        private ContainerResources helper;
        private ContainerResources service;
        private DnsSpec dns;
        private Map<String, String> nodeSelector;
        private List<Toleration> tolerations;
        private Object affinity;
        private String serviceAccountName;
        private List<String> imagePullSecrets;
        private Map<String, String> podLabels;
        private Map<String, String> podAnnotations;
        private List<RunnerService> services;
        private VolumesSpec volumes;
        private List<HostAlias> hostAliases;
        private PodSecurityContextSpec podSecurityContext;
        private ContainerSecurityContextSpec buildSecurityContext;
        private ContainerSecurityContextSpec helperSecurityContext;
        private ContainerSecurityContextSpec serviceSecurityContext;
        private ContainerSecurityContextSpec prepareSecurityContext;
        private List<String> allowedUsers;
        private List<String> allowedGroups;
        private Integer pollTimeout;
        private String priorityClassName;
        private String runtimeClassName;
        private String schedulerName;
        private Boolean automountServiceAccountToken;
        private Long podTerminationGracePeriodSeconds;
        private Long cleanupGracePeriodSeconds;
        private List<String> capAdd;
        private List<String> capDrop;
        private Boolean allowPrivilegeEscalation;
        private List<String> allowedImages;
        private List<String> allowedServices;
        private ContainerResources pod;
        private Object containerLifecycle;
        private String serviceAccountOverwriteAllowed;
        private String podLabelsOverwriteAllowed;
        private String podAnnotationsOverwriteAllowed;
        private String nodeSelectorOverwriteAllowed;
        private String nodeTolerationsOverwriteAllowed;
        private List<PodSpecPatch> podSpec;
        private SidecarMode sidecarMode;
        private DisruptionSpec disruption;
        private CapacityAware capacityAware;
        private DindSpec dind;

        private Builder() {}

        private Builder(ExecutorSpec spec) {
            this.namespace = spec.namespace;
            this.namespaceOverwrite = spec.namespaceOverwrite;
            this.image = spec.image;
            this.helperImage = spec.helperImage;
            this.privileged = spec.privileged;
            this.pullPolicy = spec.pullPolicy;
            this.allowedPullPolicies = spec.allowedPullPolicies;
            this.build = spec.build;
            this.helper = spec.helper;
            this.service = spec.service;
            this.dns = spec.dns;
            this.nodeSelector = spec.nodeSelector;
            this.tolerations = spec.tolerations;
            this.affinity = spec.affinity;
            this.serviceAccountName = spec.serviceAccountName;
            this.imagePullSecrets = spec.imagePullSecrets;
            this.podLabels = spec.podLabels;
            this.podAnnotations = spec.podAnnotations;
            this.services = spec.services;
            this.volumes = spec.volumes;
            this.hostAliases = spec.hostAliases;
            this.podSecurityContext = spec.podSecurityContext;
            this.buildSecurityContext = spec.buildSecurityContext;
            this.helperSecurityContext = spec.helperSecurityContext;
            this.serviceSecurityContext = spec.serviceSecurityContext;
            this.prepareSecurityContext = spec.prepareSecurityContext;
            this.allowedUsers = spec.allowedUsers;
            this.allowedGroups = spec.allowedGroups;
            this.pollTimeout = spec.pollTimeout;
            this.priorityClassName = spec.priorityClassName;
            this.runtimeClassName = spec.runtimeClassName;
            this.schedulerName = spec.schedulerName;
            this.automountServiceAccountToken = spec.automountServiceAccountToken;
            this.podTerminationGracePeriodSeconds = spec.podTerminationGracePeriodSeconds;
            this.cleanupGracePeriodSeconds = spec.cleanupGracePeriodSeconds;
            this.capAdd = spec.capAdd;
            this.capDrop = spec.capDrop;
            this.allowPrivilegeEscalation = spec.allowPrivilegeEscalation;
            this.allowedImages = spec.allowedImages;
            this.allowedServices = spec.allowedServices;
            this.pod = spec.pod;
            this.containerLifecycle = spec.containerLifecycle;
            this.serviceAccountOverwriteAllowed = spec.serviceAccountOverwriteAllowed;
            this.podLabelsOverwriteAllowed = spec.podLabelsOverwriteAllowed;
            this.podAnnotationsOverwriteAllowed = spec.podAnnotationsOverwriteAllowed;
            this.nodeSelectorOverwriteAllowed = spec.nodeSelectorOverwriteAllowed;
            this.nodeTolerationsOverwriteAllowed = spec.nodeTolerationsOverwriteAllowed;
            this.podSpec = spec.podSpec;
            this.sidecarMode = spec.sidecarMode;
            this.disruption = spec.disruption;
            this.capacityAware = spec.capacityAware;
            this.dind = spec.dind;
        }

        public Builder namespace(String value) {
            this.namespace = value;
            return this;
        }

        public Builder namespaceOverwrite(NamespaceOverwrite value) {
            this.namespaceOverwrite = value;
            return this;
        }

        public Builder image(String value) {
            this.image = value;
            return this;
        }

        public Builder helperImage(String value) {
            this.helperImage = value;
            return this;
        }

        public Builder privileged(Boolean value) {
            this.privileged = value;
            return this;
        }

        public Builder pullPolicy(List<PullPolicy> value) {
            this.pullPolicy = value;
            return this;
        }

        public Builder allowedPullPolicies(List<PullPolicy> value) {
            this.allowedPullPolicies = value;
            return this;
        }

        public Builder build(ContainerResources value) {
            this.build = value;
            return this;
        }

        public Builder helper(ContainerResources value) {
            this.helper = value;
            return this;
        }

        public Builder service(ContainerResources value) {
            this.service = value;
            return this;
        }

        public Builder dns(DnsSpec value) {
            this.dns = value;
            return this;
        }

        public Builder nodeSelector(Map<String, String> value) {
            this.nodeSelector = value;
            return this;
        }

        public Builder tolerations(List<Toleration> value) {
            this.tolerations = value;
            return this;
        }

        public Builder affinity(Object value) {
            this.affinity = value;
            return this;
        }

        public Builder serviceAccountName(String value) {
            this.serviceAccountName = value;
            return this;
        }

        public Builder imagePullSecrets(List<String> value) {
            this.imagePullSecrets = value;
            return this;
        }

        public Builder podLabels(Map<String, String> value) {
            this.podLabels = value;
            return this;
        }

        public Builder podAnnotations(Map<String, String> value) {
            this.podAnnotations = value;
            return this;
        }

        public Builder services(List<RunnerService> value) {
            this.services = value;
            return this;
        }

        public Builder volumes(VolumesSpec value) {
            this.volumes = value;
            return this;
        }

        public Builder hostAliases(List<HostAlias> value) {
            this.hostAliases = value;
            return this;
        }

        public Builder podSecurityContext(PodSecurityContextSpec value) {
            this.podSecurityContext = value;
            return this;
        }

        public Builder buildSecurityContext(ContainerSecurityContextSpec value) {
            this.buildSecurityContext = value;
            return this;
        }

        public Builder helperSecurityContext(ContainerSecurityContextSpec value) {
            this.helperSecurityContext = value;
            return this;
        }

        public Builder serviceSecurityContext(ContainerSecurityContextSpec value) {
            this.serviceSecurityContext = value;
            return this;
        }

        public Builder prepareSecurityContext(ContainerSecurityContextSpec value) {
            this.prepareSecurityContext = value;
            return this;
        }

        public Builder allowedUsers(List<String> value) {
            this.allowedUsers = value;
            return this;
        }

        public Builder allowedGroups(List<String> value) {
            this.allowedGroups = value;
            return this;
        }

        public Builder pollTimeout(Integer value) {
            this.pollTimeout = value;
            return this;
        }

        public Builder priorityClassName(String value) {
            this.priorityClassName = value;
            return this;
        }

        public Builder runtimeClassName(String value) {
            this.runtimeClassName = value;
            return this;
        }

        public Builder schedulerName(String value) {
            this.schedulerName = value;
            return this;
        }

        public Builder automountServiceAccountToken(Boolean value) {
            this.automountServiceAccountToken = value;
            return this;
        }

        public Builder podTerminationGracePeriodSeconds(Long value) {
            this.podTerminationGracePeriodSeconds = value;
            return this;
        }

        public Builder cleanupGracePeriodSeconds(Long value) {
            this.cleanupGracePeriodSeconds = value;
            return this;
        }

        public Builder capAdd(List<String> value) {
            this.capAdd = value;
            return this;
        }

        public Builder capDrop(List<String> value) {
            this.capDrop = value;
            return this;
        }

        public Builder allowPrivilegeEscalation(Boolean value) {
            this.allowPrivilegeEscalation = value;
            return this;
        }

        public Builder allowedImages(List<String> value) {
            this.allowedImages = value;
            return this;
        }

        public Builder allowedServices(List<String> value) {
            this.allowedServices = value;
            return this;
        }

        public Builder pod(ContainerResources value) {
            this.pod = value;
            return this;
        }

        public Builder containerLifecycle(Object value) {
            this.containerLifecycle = value;
            return this;
        }

        public Builder serviceAccountOverwriteAllowed(String value) {
            this.serviceAccountOverwriteAllowed = value;
            return this;
        }

        public Builder podLabelsOverwriteAllowed(String value) {
            this.podLabelsOverwriteAllowed = value;
            return this;
        }

        public Builder podAnnotationsOverwriteAllowed(String value) {
            this.podAnnotationsOverwriteAllowed = value;
            return this;
        }

        public Builder nodeSelectorOverwriteAllowed(String value) {
            this.nodeSelectorOverwriteAllowed = value;
            return this;
        }

        public Builder nodeTolerationsOverwriteAllowed(String value) {
            this.nodeTolerationsOverwriteAllowed = value;
            return this;
        }

        public Builder podSpec(List<PodSpecPatch> value) {
            this.podSpec = value;
            return this;
        }

        public Builder capacityAware(CapacityAware value) {
            this.capacityAware = value;
            return this;
        }

        public Builder sidecarMode(SidecarMode value) {
            this.sidecarMode = value;
            return this;
        }

        public Builder disruption(DisruptionSpec value) {
            this.disruption = value;
            return this;
        }

        public Builder dind(DindSpec value) {
            this.dind = value;
            return this;
        }

        public ExecutorSpec build() {
            return new ExecutorSpec(
                    namespace,
                    namespaceOverwrite,
                    image,
                    helperImage,
                    privileged,
                    pullPolicy,
                    allowedPullPolicies,
                    build,
                    helper,
                    service,
                    dns,
                    nodeSelector,
                    tolerations,
                    affinity,
                    serviceAccountName,
                    imagePullSecrets,
                    podLabels,
                    podAnnotations,
                    services,
                    volumes,
                    hostAliases,
                    podSecurityContext,
                    buildSecurityContext,
                    helperSecurityContext,
                    serviceSecurityContext,
                    prepareSecurityContext,
                    allowedUsers,
                    allowedGroups,
                    pollTimeout,
                    priorityClassName,
                    runtimeClassName,
                    schedulerName,
                    automountServiceAccountToken,
                    podTerminationGracePeriodSeconds,
                    cleanupGracePeriodSeconds,
                    capAdd,
                    capDrop,
                    allowPrivilegeEscalation,
                    allowedImages,
                    allowedServices,
                    pod,
                    containerLifecycle,
                    serviceAccountOverwriteAllowed,
                    podLabelsOverwriteAllowed,
                    podAnnotationsOverwriteAllowed,
                    nodeSelectorOverwriteAllowed,
                    nodeTolerationsOverwriteAllowed,
                    podSpec,
                    sidecarMode,
                    disruption,
                    capacityAware,
                    dind);
        }
    }
}
