package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.ManagersSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.GoDurations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runner-manager Deployment: {@code replicas} managers, each running {@code concurrent} jobs. Pure. */
public final class DesiredManagerDeployment {
    /** Time past shutdown_timeout for the JVM to exit after handing its jobs over. */
    private static final int EXIT_GRACE_SECONDS = 10;

    private static final long NON_ROOT_UID = 10001L;

    private DesiredManagerDeployment() {}

    /** @param configHash hash of the ConfigMap's config.toml; a change rolls the managers */
    public static Deployment build(RunnerFleet fleet, String configHash, OperatorDefaults defaults) {
        ManagersSpec managers = fleet.getSpec().managers();
        ObjectMeta meta = Owners.meta(
                fleet, FleetNames.manager(fleet), fleet.getMetadata().getNamespace(), FleetObjectLabels.manager(fleet));
        return new DeploymentBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withReplicas(managers.replicas())
                .withNewSelector()
                .withMatchLabels(FleetObjectLabels.managerSelector(fleet))
                .endSelector()
                // A new manager must be up before an old one hands its jobs over.
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(FleetObjectLabels.manager(fleet))
                .withAnnotations(Map.of(FleetLabels.CONFIG_HASH, configHash))
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(FleetNames.manager(fleet))
                .withTerminationGracePeriodSeconds(
                        (long) GoDurations.toWholeSeconds(managers.shutdownTimeout()) + EXIT_GRACE_SECONDS)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(NON_ROOT_UID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withNodeSelector(managers.nodeSelector().isEmpty() ? null : managers.nodeSelector())
                .withTolerations(tolerations(managers))
                .withContainers(container(fleet, defaults))
                .addNewVolume()
                .withName("config")
                .withNewConfigMap()
                .withName(FleetNames.configMap(fleet))
                .endConfigMap()
                .endVolume()
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .addAllToVolumes(tlsCaVolume(fleet))
                .addToVolumes(tokenVolume(fleet))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(RunnerFleet fleet, OperatorDefaults defaults) {
        ManagersSpec managers = fleet.getSpec().managers();
        String image = managers.image() == null ? defaults.managerImage() : managers.image();
        return new ContainerBuilder()
                .withName(FleetNames.MANAGER_CONTAINER)
                .withImage(image)
                .withArgs(
                        "manager",
                        "--config",
                        FleetNames.CONFIG_MOUNT_PATH + "/" + FleetNames.CONFIG_KEY,
                        "--token-file",
                        FleetNames.TOKEN_MOUNT_PATH + "/" + FleetNames.TOKEN_FILE)
                .withEnv(environment(fleet))
                .addNewPort()
                .withName(FleetNames.METRICS_PORT_NAME)
                .withContainerPort(FleetNames.METRICS_PORT)
                .withProtocol("TCP")
                .endPort()
                .withReadinessProbe(httpProbe("/health/ready", 5, 3))
                .withLivenessProbe(httpProbe("/healthz", 10, 6))
                .withResources(new ResourceRequirementsBuilder()
                        .withLimits(quantities(managers.resources().limits()))
                        .withRequests(quantities(managers.resources().requests()))
                        .build())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("config")
                .withMountPath(FleetNames.CONFIG_MOUNT_PATH)
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName(TOKEN_VOLUME)
                .withMountPath(FleetNames.TOKEN_MOUNT_PATH)
                .withReadOnly(true)
                .endVolumeMount()
                .addAllToVolumeMounts(
                        fleet.getSpec().gitlab().tlsCa() == null
                                ? List.of()
                                : List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                                        .withName(TLS_CA_VOLUME)
                                        .withMountPath(FleetNames.TLS_CA_MOUNT_PATH)
                                        .withReadOnly(true)
                                        .build()))
                .build();
    }

    private static final String TLS_CA_VOLUME = "gitlab-ca";
    private static final String TOKEN_VOLUME = "runner-token";

    /**
     * The token Secret's key as the file {@code --token-file} names. Mounted whole (no subPath) so the kubelet swaps
     * in a rotated token; the token stays out of config.toml and of the config hash, so a rotation rolls no pod.
     */
    private static io.fabric8.kubernetes.api.model.Volume tokenVolume(RunnerFleet fleet) {
        var tokenRef = fleet.getSpec().gitlab().tokenSecretRef();
        return new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName(TOKEN_VOLUME)
                .withNewSecret()
                .withSecretName(tokenRef.name())
                .withItems(new io.fabric8.kubernetes.api.model.KeyToPath(tokenRef.key(), null, FleetNames.TOKEN_FILE))
                .endSecret()
                .build();
    }

    /** {@code spec.gitlab.tlsCa}, its key projected as {@code ca.crt} ({@link FleetNames#TLS_CA_FILE}). */
    private static List<io.fabric8.kubernetes.api.model.Volume> tlsCaVolume(RunnerFleet fleet) {
        var ca = fleet.getSpec().gitlab().tlsCa();
        if (ca == null) {
            return List.of();
        }
        var item = new io.fabric8.kubernetes.api.model.KeyToPath(ca.key(), null, "ca.crt");
        var volume = new io.fabric8.kubernetes.api.model.VolumeBuilder().withName(TLS_CA_VOLUME);
        return List.of(
                ca.secretName() != null
                        ? volume.withNewSecret()
                                .withSecretName(ca.secretName())
                                .withItems(item)
                                .endSecret()
                                .build()
                        : volume.withNewConfigMap()
                                .withName(ca.configMapName())
                                .withItems(item)
                                .endConfigMap()
                                .build());
    }

    private static List<EnvVar> environment(RunnerFleet fleet) {
        List<EnvVar> env = new java.util.ArrayList<>(baseEnvironment(fleet));
        var cache = fleet.getSpec().runner().cache();
        if (cache != null && cache.type() == io.runnerfleet.api.v1alpha1.CacheType.S3 && cache.s3() != null) {
            // gitlab-runner's own variables for the keys; the ConfigMap never holds them.
            String secret = cache.s3().credentialsSecret();
            env.add(secretEnv(io.runnerfleet.config.CacheCredentialsEnv.S3_ACCESS_KEY, secret, "accesskey"));
            env.add(secretEnv(io.runnerfleet.config.CacheCredentialsEnv.S3_SECRET_KEY, secret, "secretkey"));
        }
        return env;
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef(key, secret, false)
                .endValueFrom()
                .build();
    }

    private static List<EnvVar> baseEnvironment(RunnerFleet fleet) {
        return List.of(
                new EnvVarBuilder()
                        .withName("POD_NAME")
                        .withNewValueFrom()
                        .withNewFieldRef("v1", "metadata.name")
                        .endValueFrom()
                        .build(),
                new EnvVarBuilder()
                        .withName("POD_NAMESPACE")
                        .withNewValueFrom()
                        .withNewFieldRef("v1", "metadata.namespace")
                        .endValueFrom()
                        .build(),
                // The owner of the manager's Leases (ManagerIdentity.ownerReferencesIn).
                new EnvVarBuilder()
                        .withName("POD_UID")
                        .withNewValueFrom()
                        .withNewFieldRef("v1", "metadata.uid")
                        .endValueFrom()
                        .build(),
                // The manager's own JVM options, measured for it (ManagerJvmOptions); the image's suit the operator.
                new EnvVarBuilder()
                        .withName("JAVA_TOOL_OPTIONS")
                        .withValue(ManagerJvmOptions.JAVA_TOOL_OPTIONS)
                        .build());
    }

    private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(FleetNames.METRICS_PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        if (values.isEmpty()) {
            return null;
        }
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        values.forEach((name, value) -> quantities.put(name, new Quantity(value)));
        return quantities;
    }

    private static List<Toleration> tolerations(ManagersSpec managers) {
        return managers.tolerations().stream()
                .map(t -> new TolerationBuilder()
                        .withKey(t.key())
                        .withOperator(t.operator() == null ? null : t.operator().name())
                        .withValue(t.value())
                        .withEffect(t.effect() == null ? null : t.effect().name())
                        .build())
                .toList();
    }
}
