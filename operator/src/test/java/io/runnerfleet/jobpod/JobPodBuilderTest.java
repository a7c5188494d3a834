package io.runnerfleet.jobpod;

import static io.runnerfleet.jobpod.TestJobs.build;
import static io.runnerfleet.jobpod.TestJobs.executor;
import static io.runnerfleet.jobpod.TestJobs.minimal;
import static io.runnerfleet.jobpod.TestJobs.service;
import static io.runnerfleet.jobpod.TestJobs.variable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.yaml.Yaml;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JobPodBuilderTest {
    static final ExecutorSpec PLAIN = executor("image: alpine:3.20\nhelperImage: helper:1");

    static Container container(Pod pod, String name) {
        return Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Map<String, Quantity> limits(Pod pod, String name) {
        return container(pod, name).getResources().getLimits();
    }

    static Map<String, Quantity> requests(Pod pod, String name) {
        return container(pod, name).getResources().getRequests();
    }

    @Nested
    class Shape {
        @Test
        void podNameIsFleetJobIdAndFitsIn63() {
            assertThat(build(minimal(), PLAIN).pod().getMetadata().getName()).isEqualTo("fleet-job-100");
            ObjectNode job = minimal().put("id", 1234567890123456789L);
            String longFleet = "a-fleet-name-that-is-quite-long-for-kubernetes-x";
            Pod pod = build(job, new JobPodContext(longFleet, "ci", PLAIN, List.of(), null, null))
                    .pod();
            assertThat(pod.getMetadata().getName())
                    .hasSizeLessThanOrEqualTo(63)
                    .endsWith("-job-1234567890123456789")
                    .isEqualTo(JobPodNames.podName(longFleet, 1234567890123456789L));
        }

        @Test
        void sameInputGivesTheSamePod() {
            assertThat(Yaml.write(build(minimal(), PLAIN).pod()))
                    .isEqualTo(Yaml.write(build(minimal(), PLAIN).pod()));
        }

        @Test
        void labelsAndAnnotationsSayWhichJobAndManager() {
            Pod pod = build(minimal(), TestJobs.context(PLAIN).withManager("mgr-0"))
                    .pod();
            assertThat(pod.getMetadata().getLabels())
                    .containsEntry(FleetLabels.FLEET, "fleet")
                    .containsEntry(FleetLabels.JOB_ID, "100")
                    .containsEntry(FleetLabels.APP_COMPONENT, "job")
                    .containsEntry("project.runner.gitlab.com/id", "5")
                    .containsEntry("job.runner.gitlab.com/pod", "fleet-job-100");
            assertThat(pod.getMetadata().getAnnotations())
                    .containsEntry(FleetLabels.MANAGER, "mgr-0")
                    .containsEntry("job.runner.gitlab.com/id", "100")
                    .containsEntry("job.runner.gitlab.com/timeout", "10m0s")
                    .containsEntry("job.runner.gitlab.com/sha", "0123456789abcdef0123456789abcdef01234567");
        }

        @Test
        void fleetPodLabelsCannotReplaceOurs() {
            ExecutorSpec executor = executor("image: a\npodLabels: {team: web, runnerfleet.io/fleet: other, "
                    + "project.runner.gitlab.com/id: '9'}");
            Map<String, String> labels =
                    build(minimal(), executor).pod().getMetadata().getLabels();
            assertThat(labels)
                    .containsEntry("team", "web")
                    .containsEntry(FleetLabels.FLEET, "fleet")
                    .containsEntry("project.runner.gitlab.com/id", "5");
        }

        @Test
        void podRunsOnceWithTheJobTimeoutPlusAfterScriptPlusGraceAsItsBackstop() {
            Pod pod = build(minimal(), PLAIN).pod();
            assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
            assertThat(pod.getSpec().getActiveDeadlineSeconds())
                    .isEqualTo(600L + 300 + JobPodBuilder.DEADLINE_GRACE_SECONDS);
            ObjectNode noTimeout = minimal();
            noTimeout.withObject("runner_info").put("timeout", 0);
            TestJobs.variable(noTimeout, "RUNNER_AFTER_SCRIPT_TIMEOUT", "1m");
            assertThat(build(noTimeout, PLAIN).pod().getSpec().getActiveDeadlineSeconds())
                    .isEqualTo(7200L + 60 + JobPodBuilder.DEADLINE_GRACE_SECONDS);
            assertThat(JobPodBuilder.stopGraceSeconds(TestJobs.read(noTimeout), TestJobs.context(PLAIN)))
                    .isEqualTo(60 + JobPodBuilder.DEADLINE_GRACE_SECONDS);
        }

        @Test
        void everyContainerMountsBuildsAndBuildWorksInTheProjectDir() {
            ObjectNode job = minimal();
            service(job, "redis:7", null);
            Pod pod = build(job, PLAIN).pod();
            assertThat(Stream.concat(
                            pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream()))
                    .allSatisfy(c -> assertThat(c.getVolumeMounts())
                            .anyMatch(m -> m.getMountPath().equals("/builds")
                                    && m.getName().equals("builds")));
            assertThat(pod.getSpec().getVolumes())
                    .anyMatch(v -> v.getName().equals("builds") && v.getEmptyDir() != null);
            assertThat(container(pod, "build").getWorkingDir()).isEqualTo("/builds/group/app");
            assertThat(pod.getSpec().getInitContainers().get(0).getName()).isEqualTo("prepare");
            assertThat(pod.getSpec().getContainers())
                    .extracting(Container::getName)
                    .containsExactly("build", "helper");
        }

        @Test
        void schedulingAndIdentityComeFromTheExecutor() {
            ExecutorSpec executor = executor("""
                    image: alpine
                    serviceAccountName: ci-jobs
                    imagePullSecrets: [regcred]
                    nodeSelector: {kubernetes.io/arch: amd64}
                    tolerations: [{key: ci, operator: Equal, value: "true", effect: NoSchedule}]
                    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [ci]}]}]}}}
                    podAnnotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}
                    podSecurityContext: {fsGroup: 1000, runAsUser: 1000, runAsNonRoot: true}
                    """);
            Pod pod = build(minimal(), executor).pod();
            assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("ci-jobs");
            assertThat(pod.getSpec().getImagePullSecrets())
                    .extracting(r -> r.getName())
                    .containsExactly("regcred");
            assertThat(pod.getSpec().getNodeSelector()).containsEntry("kubernetes.io/arch", "amd64");
            assertThat(pod.getSpec().getTolerations().get(0).getEffect()).isEqualTo("NoSchedule");
            assertThat(pod.getSpec().getAffinity().getNodeAffinity()).isNotNull();
            assertThat(pod.getMetadata().getAnnotations())
                    .containsEntry("cluster-autoscaler.kubernetes.io/safe-to-evict", "false");
            assertThat(pod.getSpec().getSecurityContext().getFsGroup()).isEqualTo(1000L);
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        }

        @Test
        void noImageAndNoDefaultIsAClearError() {
            assertThatThrownBy(() -> build(minimal(), executor("helperImage: h")))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("spec.executor.image");
        }

        @Test
        void jobImageWinsOverTheDefault() {
            ObjectNode job = minimal();
            job.putObject("image").put("name", "maven:3.9");
            assertThat(container(build(job, PLAIN).pod(), "build").getImage()).isEqualTo("maven:3.9");
            assertThat(container(build(minimal(), PLAIN).pod(), "build").getImage())
                    .isEqualTo("alpine:3.20");
            assertThat(container(build(minimal(), executor("image: a")).pod(), "helper")
                            .getImage())
                    .isEqualTo(JobPodContext.DEFAULT_HELPER_IMAGE);
        }
    }

    @Nested
    class Services {
        @Test
        void nativeSidecarsWithAStartupProbeOnTheDindPort() {
            ObjectNode job = minimal();
            service(job, "registry.example.com/docker:dind", "docker")
                    .putArray("command")
                    .add("--tls=false");
            Pod pod = build(job, executor("image: a\nprivileged: true")).pod();
            Container docker = container(pod, "docker");
            assertThat(pod.getSpec().getInitContainers())
                    .extracting(Container::getName)
                    .containsExactly("prepare", "docker");
            assertThat(docker.getRestartPolicy()).isEqualTo("Always");
            assertThat(docker.getStartupProbe().getTcpSocket().getPort().getIntVal())
                    .isEqualTo(2375);
            assertThat(docker.getArgs()).containsExactly("--tls=false");
            assertThat(docker.getSecurityContext().getPrivileged()).isTrue();
        }

        @Test
        void dindWithTlsIsProbedOn2376AndHealthcheckPortWins() {
            ObjectNode job = minimal();
            service(job, "docker:27-dind", "docker");
            ObjectNode db = service(job, "postgres:16", "db");
            db.putArray("variables")
                    .addObject()
                    .put("key", "HEALTHCHECK_TCP_PORT")
                    .put("value", "5432");
            service(job, "redis:7", "redis");
            Pod pod = build(job, PLAIN).pod();
            assertThat(container(pod, "docker")
                            .getStartupProbe()
                            .getTcpSocket()
                            .getPort()
                            .getIntVal())
                    .isEqualTo(2376);
            assertThat(container(pod, "db")
                            .getStartupProbe()
                            .getTcpSocket()
                            .getPort()
                            .getIntVal())
                    .isEqualTo(5432);
            assertThat(container(pod, "redis").getStartupProbe()).isNull();
        }

        @Test
        void dindIsNotPrivilegedUnlessTheExecutorSaysSo() {
            ObjectNode job = minimal();
            service(job, "docker:dind", "docker");
            assertThat(container(build(job, PLAIN).pod(), "docker")
                            .getSecurityContext()
                            .getPrivileged())
                    .isNull();
            ExecutorSpec serviceOnly = executor("image: a\nserviceSecurityContext: {privileged: true}");
            Pod pod = build(job, serviceOnly).pod();
            assertThat(container(pod, "docker").getSecurityContext().getPrivileged())
                    .isTrue();
            assertThat(container(pod, "build").getSecurityContext().getPrivileged())
                    .isNull();
        }

        @Test
        void entrypointBecomesCommandAndCommandArgs() {
            ObjectNode job = minimal();
            ObjectNode s = service(job, "mysql:8", "mysql");
            s.putArray("entrypoint").add("docker-entrypoint.sh");
            s.putArray("command").add("--default-authentication-plugin=mysql_native_password");
            Container mysql = container(build(job, PLAIN).pod(), "mysql");
            assertThat(mysql.getCommand()).containsExactly("docker-entrypoint.sh");
            assertThat(mysql.getArgs()).containsExactly("--default-authentication-plugin=mysql_native_password");
        }

        @Test
        void containersModeForOldClustersHasNoSidecarsAndTheHelperGatesTheBuild() {
            ObjectNode job = minimal();
            service(job, "docker:dind", "docker");
            Pod pod = build(job, executor("image: a\nsidecarMode: containers")).pod();
            assertThat(pod.getSpec().getInitContainers())
                    .extracting(Container::getName)
                    .containsExactly("prepare");
            Container docker = container(pod, "docker");
            assertThat(docker.getRestartPolicy()).isNull();
            assertThat(docker.getStartupProbe()).isNull();
            assertThat(String.join(" ", container(pod, "helper").getCommand()))
                    .contains("gitlab-runner-helper health-check --port 2376");
            assertThat(String.join(" ", container(pod, "build").getCommand())).contains(JobPaths.SERVICES_READY_FILE);
        }

        @Test
        void serviceEnvIsPublicJobVariablesPlusItsOwn() {
            ObjectNode job = minimal();
            variable(job, "SHARED", "1");
            variable(job, "INTERNAL", "x").put("public", false);
            ObjectNode s = service(job, "mysql:8", "mysql");
            s.putArray("variables").addObject().put("key", "MYSQL_DATABASE").put("value", "test");
            List<EnvVar> env = container(build(job, PLAIN).pod(), "mysql").getEnv();
            assertThat(env)
                    .extracting(EnvVar::getName)
                    .contains("SHARED", "MYSQL_DATABASE")
                    .doesNotContain("INTERNAL");
        }

        @Test
        void containerNamesFallBackToSvcNWhenNoAliasIsALabel() {
            ObjectNode job = minimal();
            service(job, "registry.example.com/docker:dind", null);
            service(job, "postgres:16", "db.internal");
            service(job, "redis:7", "build");
            Pod pod = build(job, PLAIN).pod();
            assertThat(pod.getSpec().getInitContainers())
                    .extracting(Container::getName)
                    .containsExactly("prepare", "svc-0", "svc-1", "svc-2");
        }
    }

    @Nested
    class Hostnames {
        @Test
        void oneLoopbackEntryWithEveryServiceNameThenTheExecutorsAliases() {
            ObjectNode job = minimal();
            service(job, "postgres:16", "db");
            service(job, "registry.example.com/docker:dind", null);
            ExecutorSpec executor = executor("image: a\nhostAliases: [{ip: 10.0.0.9, hostnames: [gitlab.internal]}]");
            Pod pod = build(job, executor).pod();
            assertThat(pod.getSpec().getHostAliases()).hasSize(2);
            assertThat(pod.getSpec().getHostAliases().get(0).getIp()).isEqualTo("127.0.0.1");
            assertThat(pod.getSpec().getHostAliases().get(0).getHostnames())
                    .containsExactly("postgres", "db", "registry.example.com-docker");
            assertThat(pod.getSpec().getHostAliases().get(1).getHostnames()).containsExactly("gitlab.internal");
        }

        @Test
        void noServicesNoLoopbackEntry() {
            assertThat(build(minimal(), PLAIN).pod().getSpec().getHostAliases()).isEmpty();
        }

        @Test
        void anInvalidAliasIsAnErrorAndNoPod() {
            ObjectNode job = minimal();
            service(job, "postgres:16", "My_DB");
            assertThatThrownBy(() -> build(job, PLAIN))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("alias \"My_DB\"")
                    .hasMessageContaining("DNS-1123");
        }
    }

    @Nested
    class Dns {
        @Test
        void theSeedsDnsBecomesPolicyNoneWithItsConfig() {
            Pod pod = build(minimal(), TestJobs.seedExecutor()).pod();
            assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("None");
            assertThat(pod.getSpec().getDnsConfig().getNameservers())
                    .containsExactly("10.0.0.2", "10.1.0.251", "10.1.0.252");
            assertThat(pod.getSpec().getDnsConfig().getSearches()).contains("gitlab.svc.cluster.local");
            assertThat(pod.getSpec().getDnsConfig().getOptions().get(0).getName())
                    .isEqualTo("ndots");
            assertThat(pod.getSpec().getDnsConfig().getOptions().get(0).getValue())
                    .isEqualTo("2");
        }

        @Test
        void withoutDnsSettingsClusterFirstAndNoConfig() {
            Pod pod = build(minimal(), PLAIN).pod();
            assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
            assertThat(pod.getSpec().getDnsConfig()).isNull();
        }

        @Test
        void dnsLookingJobVariablesChangeNothing() {
            ObjectNode job = minimal();
            variable(job, "KUBERNETES_DNS_CONFIG", "10.0.0.2");
            variable(job, "KUBERNETES_DNS_POLICY", "none");
            Pod pod = build(job, PLAIN).pod();
            assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
            assertThat(pod.getSpec().getDnsConfig()).isNull();
        }
    }

    @Nested
    class Resources {
        @Test
        void seedLimitsPerContainer() {
            ObjectNode job = minimal();
            service(job, "docker:dind", "docker");
            Pod pod = build(job, TestJobs.seedExecutor()).pod();
            assertThat(limits(pod, "build"))
                    .containsEntry("cpu", new Quantity("2"))
                    .containsEntry("memory", new Quantity("2Gi"));
            assertThat(limits(pod, "helper")).containsEntry("cpu", new Quantity("500m"));
            assertThat(limits(pod, "prepare")).containsEntry("memory", new Quantity("512Mi"));
            assertThat(requests(pod, "docker")).containsEntry("cpu", new Quantity("500m"));
            assertThat(limits(pod, "docker")).containsEntry("memory", new Quantity("2Gi"));
        }

        @Test
        void overridesWithinTheCapApply() {
            ExecutorSpec executor = executor("image: a\nbuild: {cpuLimit: '1', cpuLimitOverwriteMaxAllowed: '4', "
                    + "memoryRequestOverwriteMaxAllowed: 8Gi}\nhelper: {memoryLimitOverwriteMaxAllowed: 1Gi}\n"
                    + "service: {cpuRequestOverwriteMaxAllowed: '2'}");
            ObjectNode job = minimal();
            variable(job, "KUBERNETES_CPU_LIMIT", "3");
            variable(job, "KUBERNETES_MEMORY_REQUEST", "4Gi");
            variable(job, "KUBERNETES_HELPER_MEMORY_LIMIT", "1Gi");
            variable(job, "KUBERNETES_SERVICE_CPU_REQUEST", "1");
            ObjectNode redis = service(job, "redis:7", "redis");
            service(job, "postgres:16", "db");
            redis.putArray("variables")
                    .addObject()
                    .put("key", "KUBERNETES_SERVICE_CPU_REQUEST")
                    .put("value", "250m");
            Pod pod = build(job, executor).pod();
            assertThat(limits(pod, "build")).containsEntry("cpu", new Quantity("3"));
            assertThat(requests(pod, "build")).containsEntry("memory", new Quantity("4Gi"));
            assertThat(limits(pod, "helper")).containsEntry("memory", new Quantity("1Gi"));
            assertThat(requests(pod, "db")).containsEntry("cpu", new Quantity("1"));
            assertThat(requests(pod, "redis")).containsEntry("cpu", new Quantity("250m"));
        }

        @Test
        void overridesWithoutACapAreIgnoredAsUpstream() {
            ObjectNode job = minimal();
            variable(job, "KUBERNETES_CPU_LIMIT", "64");
            Pod pod = build(job, executor("image: a\nbuild: {cpuLimit: '1'}")).pod();
            assertThat(limits(pod, "build")).containsEntry("cpu", new Quantity("1"));
        }

        @Test
        void overTheCapIsAClearFailure() {
            ObjectNode job = minimal();
            variable(job, "KUBERNETES_MEMORY_LIMIT", "16Gi");
            assertThatThrownBy(() -> build(job, executor("image: a\nbuild: {memoryLimitOverwriteMaxAllowed: 8Gi}")))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("KUBERNETES_MEMORY_LIMIT")
                    .hasMessageContaining("8Gi")
                    .hasMessageContaining("spec.executor.build.memoryLimitOverwriteMaxAllowed");
        }

        @Test
        void notAQuantityIsAClearFailure() {
            ObjectNode job = minimal();
            variable(job, "KUBERNETES_CPU_REQUEST", "lots");
            assertThatThrownBy(() -> build(job, executor("image: a\nbuild: {cpuRequestOverwriteMaxAllowed: '2'}")))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("not a Kubernetes quantity");
        }

        @Test
        void aRequestRaisedAboveItsLimitIsRefusedBeforeTheApiServerDoes() {
            ObjectNode job = minimal();
            variable(job, "KUBERNETES_CPU_REQUEST", "2");
            assertThatThrownBy(() -> build(
                            job, executor("image: a\nbuild: {cpuLimit: '1', " + "cpuRequestOverwriteMaxAllowed: '4'}")))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("above its limit");
        }
    }

    @Nested
    class PullPolicy {
        @Test
        void theJobsPolicyWinsOverTheExecutors() {
            ObjectNode job = minimal();
            job.putObject("image").put("name", "maven").putArray("pull_policy").add("always");
            Pod pod = build(job, executor("image: a\npullPolicy: [if-not-present]"))
                    .pod();
            assertThat(container(pod, "build").getImagePullPolicy()).isEqualTo("Always");
            assertThat(container(pod, "helper").getImagePullPolicy()).isEqualTo("Always");
            assertThat(container(
                                    build(minimal(), executor("image: a\npullPolicy: [if-not-present]"))
                                            .pod(),
                                    "build")
                            .getImagePullPolicy())
                    .isEqualTo("IfNotPresent");
            assertThat(container(build(minimal(), PLAIN).pod(), "build").getImagePullPolicy())
                    .isNull();
        }

        @Test
        void allowedPoliciesFilterAndRefuse() {
            ExecutorSpec executor = executor(
                    "image: a\npullPolicy: [always, if-not-present]\n" + "allowedPullPolicies: [if-not-present]");
            assertThat(container(build(minimal(), executor).pod(), "build").getImagePullPolicy())
                    .isEqualTo("IfNotPresent");
            ObjectNode job = minimal();
            job.putObject("image").put("name", "maven").putArray("pull_policy").add("always");
            assertThatThrownBy(() -> build(job, executor))
                    .isInstanceOf(JobPodException.class)
                    .hasMessageContaining("[always]")
                    .hasMessageContaining("allowedPullPolicies");
        }

        /** gitlab-runner's pull manager: one container moves to its next policy, the others keep theirs. */
        @Test
        void aPullFailureMovesOnlyThatContainerToItsNextPolicyUntilNoneIsLeft() {
            ObjectNode job = minimal();
            job.putObject("image")
                    .put("name", "maven")
                    .putArray("pull_policy")
                    .add("always")
                    .add("if-not-present");
            service(job, "redis:7", "redis");
            ExecutorSpec executor = executor("image: a\npullPolicy: [always, if-not-present]");
            var policies = JobPodBuilder.pullPolicies(TestJobs.read(job), TestJobs.context(executor));
            assertThat(policies.get("build"))
                    .containsExactly(
                            io.runnerfleet.api.v1alpha1.PullPolicy.ALWAYS,
                            io.runnerfleet.api.v1alpha1.PullPolicy.IF_NOT_PRESENT);
            assertThat(policies.get("helper")).isEqualTo(policies.get("build"));
            assertThat(policies.get("redis")).isEqualTo(policies.get("build"));
            Pod first = build(job, executor).pod();

            PullFallback redis = PullFallback.after(first, "redis", policies).orElseThrow();
            assertThat(redis.attempt()).isEqualTo(2);
            Pod second = redis.applyTo(build(job, executor).pod(), first);
            assertThat(container(second, "redis").getImagePullPolicy()).isEqualTo("IfNotPresent");
            assertThat(container(second, "build").getImagePullPolicy()).isEqualTo("Always");
            assertThat(redis.traceLines("not found").get(1))
                    .isEqualTo("Attempt #2: Trying \"IfNotPresent\" pull policy for \"redis:7\" image for container"
                            + " \"redis\"");

            PullFallback build = PullFallback.after(second, "build", policies).orElseThrow();
            assertThat(build.attempt()).as("the redis fallback counts").isEqualTo(3);
            Pod third = build.applyTo(build(job, executor).pod(), second);
            assertThat(container(third, "build").getImagePullPolicy()).isEqualTo("IfNotPresent");
            assertThat(container(third, "redis").getImagePullPolicy()).isEqualTo("IfNotPresent");
            assertThat(PullFallback.after(third, "build", policies)).isEmpty();
            assertThat(PullFallback.after(
                            build(minimal(), PLAIN).pod(),
                            "build",
                            JobPodBuilder.pullPolicies(TestJobs.read(minimal()), TestJobs.context(PLAIN))))
                    .as("the cluster's default: nothing to try next")
                    .isEmpty();
        }

        @Test
        void aServicesOwnPolicyAppliesToIt() {
            ObjectNode job = minimal();
            service(job, "redis:7", "redis").putArray("pull_policy").add("never");
            assertThat(container(
                                    build(job, executor("image: a\npullPolicy: [always]"))
                                            .pod(),
                                    "redis")
                            .getImagePullPolicy())
                    .isEqualTo("Never");
        }
    }

    @Nested
    class SecurityContext {
        @Test
        void netRawIsDroppedUnlessAdded() {
            ExecutorSpec executor = executor("image: a\nbuildSecurityContext: {capabilities: {add: [NET_RAW]}, "
                    + "runAsUser: 1000, readOnlyRootFilesystem: true}");
            Pod pod = build(minimal(), executor).pod();
            assertThat(container(pod, "helper")
                            .getSecurityContext()
                            .getCapabilities()
                            .getDrop())
                    .containsExactly("NET_RAW");
            assertThat(container(pod, "build")
                            .getSecurityContext()
                            .getCapabilities()
                            .getAdd())
                    .containsExactly("NET_RAW");
            assertThat(container(pod, "build")
                            .getSecurityContext()
                            .getCapabilities()
                            .getDrop())
                    .isNull();
            assertThat(container(pod, "build").getSecurityContext().getRunAsUser())
                    .isEqualTo(1000L);
            assertThat(container(pod, "build").getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
        }

        @Test
        void aContainerContextBeatsTheExecutorsPrivileged() {
            Pod pod = build(
                            minimal(),
                            executor("image: a\nprivileged: true\nhelperSecurityContext: {privileged: false}"))
                    .pod();
            assertThat(container(pod, "build").getSecurityContext().getPrivileged())
                    .isTrue();
            assertThat(container(pod, "helper").getSecurityContext().getPrivileged())
                    .isFalse();
            assertThat(container(pod, "prepare").getSecurityContext().getPrivileged())
                    .isFalse();
        }
    }
}
