package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pause pods of {@code spec.warmCapacity}: a ReplicaSet in the fleet's namespace (owned by the fleet, so the
 * garbage collector takes it along) and the shared PriorityClass they use unless the fleet names its own. gitlab-runner
 * keeps a Deployment per runner process ({@code executors/kubernetes/autoscaler/pause_pod_manager.go}); a ReplicaSet
 * is enough for pods that are never rolled, and keeps the manager Deployment the fleet's only one. A pause pod's
 * template carries the Job Pod's footprint, so a changed executor changes the template; the operator then replaces
 * pause pods of an older template ({@link #TEMPLATE_HASH}).
 */
public final class DesiredWarmCapacity {
    public static final String COMPONENT = "warm-capacity";
    public static final String CONTAINER = "pause";
    /** On the ReplicaSet: since when fewer pause pods are wanted than kept ({@link WarmCapacityPlan#lowerSince()}). */
    public static final String LOWER_SINCE = FleetLabels.PREFIX + "warm-lower-since";
    /** On the pause pods: their template's hash, so pods of an older Job Pod footprint are found and replaced. */
    public static final String TEMPLATE_HASH = FleetLabels.PREFIX + "warm-template-hash";

    private DesiredWarmCapacity() {}

    public static String name(RunnerFleet fleet) {
        return fleet.getMetadata().getName() + "-warm";
    }

    /** Selects the fleet's pause pods and nothing else: no manager, no Job Pod. */
    public static Map<String, String> selector(RunnerFleet fleet) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(FleetLabels.FLEET, fleet.getMetadata().getName());
        labels.put(FleetLabels.APP_COMPONENT, COMPONENT);
        return labels;
    }

    public static ReplicaSet replicaSet(RunnerFleet fleet, JobPodFootprint footprint, WarmCapacityPlan plan) {
        WarmCapacitySpec spec = fleet.getSpec().warmCapacity();
        Map<String, String> labels = FleetObjectLabels.common(fleet);
        labels.putAll(selector(fleet));
        ObjectMeta meta = Owners.meta(fleet, name(fleet), fleet.getMetadata().getNamespace(), labels);
        if (plan.lowerSince() != null) {
            meta.setAnnotations(Map.of(LOWER_SINCE, plan.lowerSince().toString()));
        }
        PodSpec pod = podSpec(spec, footprint);
        Map<String, String> podLabels = new LinkedHashMap<>(labels);
        podLabels.put(TEMPLATE_HASH, ConfigHash.of(pod.toString()));
        return new ReplicaSetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withReplicas(plan.replicas())
                .withNewSelector()
                .withMatchLabels(selector(fleet))
                .endSelector()
                .withNewTemplate()
                .withMetadata(new ObjectMetaBuilder().withLabels(podLabels).build())
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * gitlab-runner's pause pod ({@code buildDeployment}): one pause container with the Job Pod's requests, its node
     * selector and tolerations, and, beyond gitlab-runner, its affinity, so the reservation is where the Job Pod may
     * go. No service account token, no grace period: a preempted pause pod goes at once.
     */
    private static PodSpec podSpec(WarmCapacitySpec spec, JobPodFootprint footprint) {
        return new PodSpecBuilder()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(spec.effectiveImage())
                .withNewResources()
                .withRequests(new TreeMap<>(footprint.requests()))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withRunAsNonRoot(true)
                .withRunAsUser(65535L)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .endContainer()
                .withPriorityClassName(spec.effectivePriorityClass())
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(0L)
                .withNodeSelector(footprint.nodeSelector().isEmpty() ? null : new TreeMap<>(footprint.nodeSelector()))
                .withTolerations(footprint.tolerations())
                .withAffinity(footprint.affinity())
                .withRuntimeClassName(footprint.runtimeClassName())
                .build();
    }

    /**
     * The shared PriorityClass of pause pods, as gitlab-runner's {@code gitlab-runner-idle-capacity}
     * ({@code ensurePriorityClass}): value -1, below every pod without a class (0), so any Job Pod preempts a pause
     * pod; {@code preemptionPolicy: Never}, so a pause pod never preempts anything itself. Cluster-scoped and shared by
     * every fleet, so no fleet owns it and none deletes it.
     */
    public static PriorityClass priorityClass() {
        return new PriorityClassBuilder()
                .withNewMetadata()
                .withName(WarmCapacitySpec.DEFAULT_PRIORITY_CLASS)
                .withLabels(Map.of(
                        FleetLabels.APP_NAME,
                        FleetLabels.NAME_VALUE,
                        FleetLabels.APP_MANAGED_BY,
                        FleetLabels.MANAGED_BY_VALUE))
                .endMetadata()
                .withValue(-1)
                .withGlobalDefault(false)
                .withPreemptionPolicy("Never")
                .withDescription("Pause pods of RunnerFleets' spec.warmCapacity: any Job Pod preempts them.")
                .build();
    }
}
