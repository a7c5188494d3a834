package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.JobPodBuilderTest.container;
import static io.runnerfleet.jobpod.TestJobs.build;
import static io.runnerfleet.jobpod.TestJobs.executor;
import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import org.junit.jupiter.api.Test;

/** The {@code [runners.kubernetes]} keys that become plain pod and container fields, as gitlab-runner sets them. */
class ExecutorKeysTest {
    @Test
    void schedulingKeysBecomePodFieldsAndTheTokenIsNotMountedUnlessAsked() {
        PodSpec spec = build(
                        minimal(),
                        executor("image: a\npriorityClassName: ci-high\nruntimeClassName: gvisor\n"
                                + "schedulerName: bin-packer\npodTerminationGracePeriodSeconds: 45"))
                .pod()
                .getSpec();
        assertThat(spec.getPriorityClassName()).isEqualTo("ci-high");
        assertThat(spec.getRuntimeClassName()).isEqualTo("gvisor");
        assertThat(spec.getSchedulerName()).isEqualTo("bin-packer");
        assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(45L);
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();

        PodSpec defaults = build(minimal(), executor("image: a")).pod().getSpec();
        assertThat(defaults.getPriorityClassName()).isNull();
        assertThat(defaults.getTerminationGracePeriodSeconds()).isNull();
        assertThat(build(minimal(), executor("image: a\nautomountServiceAccountToken: true"))
                        .pod()
                        .getSpec()
                        .getAutomountServiceAccountToken())
                .isTrue();
    }

    @Test
    void capAddAndCapDropApplyToEveryContainerAndCapDropWins() {
        ObjectNode job = minimal();
        service(job, "redis:7", "redis");
        Pod pod = build(job, executor("image: a\ncapAdd: [SYS_PTRACE, MKNOD]\ncapDrop: [MKNOD, CHOWN]"))
                .pod();
        for (String name : new String[] {"prepare", "build", "helper", "redis"}) {
            SecurityContext context = container(pod, name).getSecurityContext();
            assertThat(context.getCapabilities().getAdd()).as(name).containsExactly("SYS_PTRACE");
            assertThat(context.getCapabilities().getDrop()).as(name).containsExactly("NET_RAW", "MKNOD", "CHOWN");
        }
        // A container's own additions win over any drop, the fleet's NET_RAW default included.
        Pod own = build(
                        minimal(),
                        executor("image: a\ncapDrop: [CHOWN]\nbuildSecurityContext: {capabilities: {add: [CHOWN]}}"))
                .pod();
        assertThat(container(own, "build")
                        .getSecurityContext()
                        .getCapabilities()
                        .getAdd())
                .containsExactly("CHOWN");
        assertThat(container(own, "build")
                        .getSecurityContext()
                        .getCapabilities()
                        .getDrop())
                .containsExactly("NET_RAW");
    }

    @Test
    void allowPrivilegeEscalationOfTheExecutorYieldsToTheContainersOwn() {
        Pod pod = build(
                        minimal(),
                        executor("image: a\nallowPrivilegeEscalation: false\n"
                                + "helperSecurityContext: {allowPrivilegeEscalation: true}"))
                .pod();
        assertThat(container(pod, "build").getSecurityContext().getAllowPrivilegeEscalation())
                .isFalse();
        assertThat(container(pod, "helper").getSecurityContext().getAllowPrivilegeEscalation())
                .isTrue();
        assertThat(container(build(minimal(), executor("image: a")).pod(), "build")
                        .getSecurityContext()
                        .getAllowPrivilegeEscalation())
                .isNull();
    }

    @Test
    void anImageOffTheAllowedListRefusesTheJobWithGitlabRunnersWords() {
        ObjectNode job = minimal();
        job.putObject("image").put("name", "docker.io/evil/miner:latest");
        assertThatThrownBy(() -> build(job, executor("image: a\nallowedImages: [\"registry.example.com/**\"]")))
                .isInstanceOf(JobPodException.class)
                .hasMessage("disallowed image: the \"docker.io/evil/miner:latest\" image is not present on list of "
                        + "allowed images: registry.example.com/**; please check runner's allowed_images "
                        + "configuration (spec.executor.allowedImages)");

        ObjectNode withService = minimal();
        service(withService, "docker.io/library/redis:7", "redis");
        assertThatThrownBy(() -> build(
                        withService, executor("image: a\nallowedServices: [\"registry.example.com/{mysql,redis}:*\"]")))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining(
                        "the \"docker.io/library/redis:7\" image is not present on list of allowed " + "services")
                .hasMessageContaining("spec.executor.allowedServices");
    }

    @Test
    void allowedImagesAreDoublestarGlobsAndTheFleetsOwnImagesAreAlwaysAllowed() {
        assertThat(AllowedImages.matches("registry.example.com/**", "registry.example.com/a/b/c:1"))
                .isTrue();
        assertThat(AllowedImages.matches("registry.example.com/*", "registry.example.com/a/b:1"))
                .isFalse();
        assertThat(AllowedImages.matches("registry.example.com/*", "registry.example.com/ab:1"))
                .isTrue();
        assertThat(AllowedImages.matches("registry.example.com/{mysql,redis}:*", "registry.example.com/redis:7"))
                .isTrue();
        assertThat(AllowedImages.matches("ruby:2.[67]*", "ruby:2.7-slim")).isTrue();
        assertThat(AllowedImages.matches("ruby:2.[!67]*", "ruby:2.7-slim")).isFalse();
        assertThat(AllowedImages.matches("a?c", "abc")).isTrue();
        assertThat(AllowedImages.matches("alpine:3.20", "alpine:3x20")).isFalse();

        // The job names no image, so it gets the fleet's default, which no list can refuse.
        Pod pod = build(minimal(), executor("image: alpine:3.20\nallowedImages: [\"registry.example.com/**\"]"))
                .pod();
        assertThat(container(pod, "build").getImage()).isEqualTo("alpine:3.20");
    }

    @Test
    void csiAndNfsVolumesAndMountPropagationReachEveryContainer() {
        Pod pod = build(
                        minimal(),
                        executor("image: a\nvolumes:\n"
                                + "  csi: [{name: store, mountPath: /mnt/s, readOnly: true, driver: d.example.com,"
                                + " volumeAttributes: {class: ci}}]\n"
                                + "  nfs: [{name: shared, mountPath: /shared, server: nfs.example.com, path: /ci}]\n"
                                + "  hostPath: [{name: certs, mountPath: /certs, mountPropagation: HostToContainer}]"))
                .pod();
        Volume csi = volume(pod, "store");
        assertThat(csi.getCsi().getDriver()).isEqualTo("d.example.com");
        assertThat(csi.getCsi().getVolumeAttributes()).containsEntry("class", "ci");
        assertThat(csi.getCsi().getReadOnly()).isTrue();
        assertThat(volume(pod, "shared").getNfs().getServer()).isEqualTo("nfs.example.com");
        assertThat(volume(pod, "shared").getNfs().getPath()).isEqualTo("/ci");
        for (String name : new String[] {"prepare", "build", "helper"}) {
            assertThat(container(pod, name).getVolumeMounts())
                    .extracting(VolumeMount::getName)
                    .contains("store", "shared", "certs");
            assertThat(container(pod, name).getVolumeMounts())
                    .filteredOn(m -> m.getName().equals("certs"))
                    .extracting(VolumeMount::getMountPropagation)
                    .containsExactly("HostToContainer");
        }
    }

    @Test
    void containerLifecycleHooksGoOnBuildHelperAndServicesButNotOnPrepare() {
        ObjectNode job = minimal();
        service(job, "redis:7", "redis");
        Pod pod = build(
                        job,
                        executor("image: a\ncontainerLifecycle: {preStop: {exec: {command: [sh, -c, 'sleep 1']}}}"))
                .pod();
        for (String name : new String[] {"build", "helper", "redis"}) {
            assertThat(container(pod, name)
                            .getLifecycle()
                            .getPreStop()
                            .getExec()
                            .getCommand())
                    .as(name)
                    .containsExactly("sh", "-c", "sleep 1");
        }
        assertThat(container(pod, "prepare").getLifecycle()).isNull();
        assertThatThrownBy(() -> build(minimal(), executor("image: a\ncontainerLifecycle: {preStop: {exec: 3}}")))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("spec.executor.containerLifecycle");
    }

    @Test
    void podLevelResourcesMayBeRaisedByKubernetesPodVariablesUpToTheirCap() {
        ExecutorSpec executor =
                executor("image: a\npod: {cpuLimit: '2', memoryRequest: 1Gi, cpuLimitOverwriteMaxAllowed: '4'}");
        Pod pod = build(minimal(), executor).pod();
        assertThat(pod.getSpec().getResources().getLimits()).containsEntry("cpu", new Quantity("2"));
        assertThat(pod.getSpec().getResources().getRequests()).containsEntry("memory", new Quantity("1Gi"));

        ObjectNode raised = minimal();
        TestJobs.variable(raised, "KUBERNETES_POD_CPU_LIMIT", "3");
        assertThat(build(raised, executor).pod().getSpec().getResources().getLimits())
                .containsEntry("cpu", new Quantity("3"));
        ObjectNode tooMuch = minimal();
        TestJobs.variable(tooMuch, "KUBERNETES_POD_CPU_LIMIT", "5");
        assertThatThrownBy(() -> build(tooMuch, executor))
                .isInstanceOf(JobPodException.class)
                .hasMessageContaining("KUBERNETES_POD_CPU_LIMIT")
                .hasMessageContaining("spec.executor.pod.cpuLimitOverwriteMaxAllowed");
        assertThat(build(minimal(), executor("image: a")).pod().getSpec().getResources())
                .isNull();
    }

    @Test
    void selinuxTypeAndAppArmorProfilePerContainer() {
        Pod pod = build(
                        minimal(),
                        executor("image: a\nbuildSecurityContext: {selinuxType: container_t}\n"
                                + "helperSecurityContext: {appArmorProfile: {type: Localhost, localhostProfile: ci}}"))
                .pod();
        assertThat(container(pod, "build")
                        .getSecurityContext()
                        .getSeLinuxOptions()
                        .getType())
                .isEqualTo("container_t");
        assertThat(container(pod, "helper")
                        .getSecurityContext()
                        .getAppArmorProfile()
                        .getLocalhostProfile())
                .isEqualTo("ci");
        assertThat(container(pod, "helper")
                        .getSecurityContext()
                        .getAppArmorProfile()
                        .getType())
                .isEqualTo("Localhost");
    }

    @Test
    void procMountReachesEachKindOfContainer() {
        ObjectNode job = minimal();
        service(job, "redis:7", "redis");
        Pod pod = build(
                        job,
                        executor("image: a\nbuildSecurityContext: {procMount: Unmasked}\n"
                                + "helperSecurityContext: {procMount: Default}\n"
                                + "serviceSecurityContext: {procMount: Unmasked}\n"
                                + "prepareSecurityContext: {procMount: Default}"))
                .pod();
        assertThat(container(pod, "build").getSecurityContext().getProcMount()).isEqualTo("Unmasked");
        assertThat(container(pod, "helper").getSecurityContext().getProcMount()).isEqualTo("Default");
        assertThat(container(pod, "redis").getSecurityContext().getProcMount()).isEqualTo("Unmasked");
        assertThat(container(pod, "prepare").getSecurityContext().getProcMount())
                .isEqualTo("Default");
        assertThat(container(build(minimal(), executor("image: a")).pod(), "build")
                        .getSecurityContext()
                        .getProcMount())
                .isNull();
    }

    @Test
    void initPermissionsContextGoesOnPrepareElseItKeepsTheHelpers() {
        Pod own = build(
                        minimal(),
                        executor("image: a\nhelperSecurityContext: {runAsUser: 1000}\n"
                                + "prepareSecurityContext: {runAsUser: 0, runAsNonRoot: false}"))
                .pod();
        assertThat(container(own, "prepare").getSecurityContext().getRunAsUser())
                .isZero();
        assertThat(container(own, "prepare").getSecurityContext().getRunAsNonRoot())
                .isFalse();
        assertThat(container(own, "helper").getSecurityContext().getRunAsUser()).isEqualTo(1000L);

        Pod helpers = build(minimal(), executor("image: a\nhelperSecurityContext: {runAsUser: 1000}"))
                .pod();
        assertThat(container(helpers, "prepare").getSecurityContext())
                .isEqualTo(container(helpers, "helper").getSecurityContext());
    }

    private static Volume volume(Pod pod, String name) {
        return pod.getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @Test
    void allowedOverridesChangeServiceAccountLabelsAnnotationsNodeSelectorAndTolerations() {
        ExecutorSpec executor = executor("image: a\nserviceAccountName: ci\npodLabels: {team: a}\n"
                + "nodeSelector: {pool: ci}\ntolerations: [{key: gpu, operator: Equal, value: 'no', effect: NoSchedule}]\n"
                + "serviceAccountOverwriteAllowed: '^ci-[a-z]+$'\npodLabelsOverwriteAllowed: '^team='\n"
                + "podAnnotationsOverwriteAllowed: '.*'\nnodeSelectorOverwriteAllowed: '^pool='\n"
                + "nodeTolerationsOverwriteAllowed: '^gpu='");
        ObjectNode job = minimal();
        TestJobs.variable(job, "KUBERNETES_SERVICE_ACCOUNT_OVERWRITE", "ci-deploy");
        TestJobs.variable(job, "KUBERNETES_POD_LABELS_1", "team=b");
        TestJobs.variable(job, "KUBERNETES_POD_ANNOTATIONS_1", "example.com/note=x=y");
        TestJobs.variable(job, "KUBERNETES_NODE_SELECTOR_1", "pool=gpu");
        TestJobs.variable(job, "KUBERNETES_NODE_TOLERATIONS_1", "gpu=yes:NoExecute");
        Pod pod = build(job, executor).pod();
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("ci-deploy");
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "b");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("example.com/note", "x=y");
        assertThat(pod.getSpec().getNodeSelector()).containsExactly(java.util.Map.entry("pool", "gpu"));
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("gpu");
            assertThat(t.getValue()).isEqualTo("yes");
            assertThat(t.getEffect()).isEqualTo("NoExecute");
        });

        ObjectNode refused = minimal();
        TestJobs.variable(refused, "KUBERNETES_SERVICE_ACCOUNT_OVERWRITE", "admin");
        assertThatThrownBy(() -> build(refused, executor))
                .isInstanceOf(JobPodException.class)
                .hasMessage("variable KUBERNETES_SERVICE_ACCOUNT_OVERWRITE: provided value \"admin\" does not match "
                        + "\"^ci-[a-z]+$\" (spec.executor.serviceAccountOverwriteAllowed)");
    }

    @Test
    void withoutTheFleetsRegexTheOverrideVariablesAreIgnored() {
        ObjectNode job = minimal();
        TestJobs.variable(job, "KUBERNETES_SERVICE_ACCOUNT_OVERWRITE", "admin");
        TestJobs.variable(job, "KUBERNETES_POD_LABELS_1", "team=b");
        Pod pod = build(job, executor("image: a\nserviceAccountName: ci\npodLabels: {team: a}"))
                .pod();
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("ci");
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "a");
    }

    @Test
    void podSpecPatchesApplyLastInOrderStrategicMergingListsByName() {
        ExecutorSpec executor = executor("image: a\npodSpec:\n"
                + "  - name: env\n    patch: |\n      containers:\n        - name: build\n          env:\n"
                + "            - {name: PATCHED, value: 'yes'}\n      hostname: ci-job\n"
                + "  - name: no-links\n    patchType: merge\n    patch: '{\"enableServiceLinks\": false}'\n"
                + "  - name: grace\n    patchType: json\n"
                + "    patch: '[{\"op\": \"add\", \"path\": \"/terminationGracePeriodSeconds\", \"value\": 7}]'\n");
        Pod pod = build(minimal(), executor).pod();
        assertThat(container(pod, "build").getEnv())
                .extracting(io.fabric8.kubernetes.api.model.EnvVar::getName)
                .contains("CI_SERVER", "PATCHED");
        assertThat(container(pod, "build").getImage()).isEqualTo("a");
        assertThat(pod.getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("build", "helper");
        assertThat(pod.getSpec().getHostname()).isEqualTo("ci-job");
        assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(7L);
    }

    @Test
    void aStrategicDeleteRemovesTheMatchAndAMergePatchReplacesLists() {
        Pod deleted = build(
                        minimal(),
                        executor("image: a\nvolumes: {emptyDir: [{name: scratch, mountPath: /scratch}]}\npodSpec:\n"
                                + "  - name: drop\n    patch: '{\"volumes\": [{\"name\": \"scratch\", \"$patch\": "
                                + "\"delete\"}], \"containers\": [{\"name\": \"helper\", \"volumeMounts\": "
                                + "[{\"mountPath\": \"/scratch\", \"$patch\": \"delete\"}]}, {\"name\": \"build\", "
                                + "\"volumeMounts\": [{\"mountPath\": \"/scratch\", \"$patch\": \"delete\"}]}], "
                                + "\"initContainers\": [{\"name\": \"prepare\", \"volumeMounts\": [{\"mountPath\": "
                                + "\"/scratch\", \"$patch\": \"delete\"}]}]}'\n"))
                .pod();
        assertThat(deleted.getSpec().getVolumes()).extracting(v -> v.getName()).doesNotContain("scratch");

        ExecutorSpec merge = executor("image: a\ntolerations: [{key: a, operator: Exists}]\npodSpec:\n"
                + "  - name: t\n    patchType: merge\n    patch: '{\"tolerations\": [{\"key\": \"b\", \"operator\": "
                + "\"Exists\"}]}'\n");
        assertThat(build(minimal(), merge).pod().getSpec().getTolerations())
                .extracting(t -> t.getKey())
                .containsExactly("b");
    }

    @Test
    void aPatchThatDoesNotApplyRefusesTheJobNamingThePatch() {
        ExecutorSpec executor = executor("image: a\npodSpec:\n  - name: broken\n    patchType: json\n"
                + "    patch: '[{\"op\": \"replace\", \"path\": \"/nope/x\", \"value\": 1}]'\n");
        assertThatThrownBy(() -> build(minimal(), executor))
                .isInstanceOf(JobPodException.class)
                .hasMessageStartingWith("spec.executor.podSpec[0] (broken): the json patch does not apply");
    }
}
