package io.runnerfleet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.api.v1alpha1.DnsPolicy;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.ProcMount;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.SidecarMode;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.desired.ManagerConfigBuilder;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.validation.FleetLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** camelCase in the CRD, snake_case in config.toml: one mapping, tested both ways. */
class ConfigTomlRoundTripTest {
    private static RunnerFleet fleet(String path) {
        return new FleetLoader().load(Path.of(path)).get(0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "src/test/resources/fleets/full-fleet.yaml",
                "../examples/seed-fleet.yaml",
                "src/test/resources/fleets/s3-cache-fleet.yaml",
                "src/test/resources/fleets/namespace-overwrite-fleet.yaml"
            })
    void fleetToTomlAndBackGivesTheSameModel(String path) {
        ManagerConfig config = ManagerConfigBuilder.build(fleet(path));

        String toml = ConfigTomlWriter.write(config);
        ConfigTomlReader.Result read = ConfigTomlReader.read("config.toml", toml);

        assertThat(read.ignoredKeys()).isEmpty();
        assertThat(read.config()).isEqualTo(config);
    }

    @Test
    void theCacheIsWrittenInGitlabRunnersKeysWithoutCredentials() {
        String toml = ConfigTomlWriter.write(
                ManagerConfigBuilder.build(fleet("src/test/resources/fleets/s3-cache-fleet.yaml")));
        assertThat(toml)
                .contains(
                        "[runners.cache]",
                        "Type = \"s3\"",
                        "Path = \"ci/cache\"",
                        "MaxUploadedArchiveSize = 104857600",
                        "[runners.cache.s3]",
                        "ServerAddress = \"minio.example.com:9000\"",
                        "BucketName = \"runner-cache\"",
                        "BucketLocation = \"eu-west-1\"",
                        "Insecure = true",
                        "cache_credentials_secret = \"cached-fleet-cache\"")
                .doesNotContain("AccessKey", "SecretKey", "Shared");
    }

    @Test
    void aGitlabRunnerCacheTableIsReadCredentialsAndUnknownKeysReported() {
        ConfigTomlReader.Result read = ConfigTomlReader.read("config.toml", """
                [[runners]]
                url = "https://gitlab.example.com/"
                executor = "kubernetes"
                [runners.cache]
                  Type = "gcs"
                  Shared = true
                  [runners.cache.gcs]
                    BucketName = "ci-cache"
                    CredentialsFile = "/secrets/gcs.json"
                  [runners.cache.s3]
                    AccessKey = "AKIA-NEVER-COPIED"
                """);
        var cache = read.config().runners().get(0).cache();
        assertThat(cache.type()).isEqualTo(io.runnerfleet.api.v1alpha1.CacheType.GCS);
        assertThat(cache.shared()).isTrue();
        assertThat(cache.gcs().bucketName()).isEqualTo("ci-cache");
        assertThat(cache.toString()).doesNotContain("AKIA", "gcs.json");
        assertThat(read.ignoredKeys())
                .containsExactlyInAnyOrder("runners[0].cache.gcs.CredentialsFile", "runners[0].cache.s3.AccessKey");
    }

    @Test
    void everyExecutorFieldOfTheFullFleetReachesTheToml() {
        String toml =
                ConfigTomlWriter.write(ManagerConfigBuilder.build(fleet("src/test/resources/fleets/full-fleet.yaml")));
        assertThat(toml)
                .contains(
                        "check_interval = 90",
                        "shutdown_timeout = 120",
                        "limit = 12",
                        "request_concurrency = 3",
                        "output_limit = 8192",
                        "unhealthy_requests_limit = 5",
                        "unhealthy_interval = \"30m\"",
                        "environment = [\"FOO=bar\", \"GIT_DEPTH=10\"]",
                        "clone_url = \"https://git.example.com\"",
                        "pre_get_sources_script = \"echo before the sources\"",
                        "post_get_sources_script = \"echo after the sources\"",
                        "pre_build_script = \"echo before the script\"",
                        "post_build_script = \"echo after the script\"",
                        "[runners.custom_build_dir]\nenabled = false",
                        "namespace = \"ci-jobs\"",
                        "pull_policy = [\"if-not-present\", \"always\"]",
                        "allowed_pull_policies = [\"always\", \"if-not-present\"]",
                        "cpu_limit = \"2\"",
                        "cpu_request = \"1\"",
                        "ephemeral_storage_limit = \"10Gi\"",
                        "cpu_limit_overwrite_max_allowed = \"4\"",
                        "memory_limit_overwrite_max_allowed = \"8Gi\"",
                        "helper_cpu_limit = \"500m\"",
                        "service_memory_request = \"512Mi\"",
                        "dns_policy = \"none\"",
                        "service_account = \"ci-jobs\"",
                        "image_pull_secrets = [\"registry-credentials\"]",
                        "[runners.kubernetes.node_tolerations]",
                        "ci = \"NoExecute\"",
                        "\"gpu=yes\" = \"\"",
                        "required_during_scheduling_ignored_during_execution.node_selector_terms.match_expressions]]",
                        "\"app.kubernetes.io/component\" = \"job\"",
                        "topology_key = \"kubernetes.io/hostname\"",
                        "[[runners.kubernetes.services]]",
                        "alias = \"docker\"",
                        "[[runners.kubernetes.volumes.host_path]]",
                        "[[runners.kubernetes.volumes.config_map]]",
                        "[[runners.kubernetes.volumes.empty_dir]]",
                        "medium = \"Memory\"",
                        "[[runners.kubernetes.host_aliases]]",
                        "[runners.kubernetes.pod_security_context]",
                        "selinux_type = \"spc_t\"",
                        "[runners.kubernetes.build_container_security_context]",
                        "[runners.kubernetes.service_container_security_context.capabilities]",
                        "poll_timeout = 300",
                        "[runners.runner_fleet]",
                        "sidecar_mode = \"containers\"",
                        "dind_inherit = false");
        // No runner token key (automount_service_account_token is a pod setting, not a token).
        assertThat(toml).doesNotContainPattern("(?m)^\\s*token\\s*=").doesNotContain("glrt-");
    }

    @Test
    void gitlabRunnerTomlToModelAndBackKeepsItsKeys() {
        String toml = """
                concurrent = 4
                check_interval = 5
                listen_address = ":9252"
                shutdown_timeout = 60

                [[runners]]
                name = "legacy"
                url = "https://gitlab.example.com/"
                executor = "kubernetes"
                limit = 2
                request_concurrency = 2
                output_limit = 4096
                unhealthy_requests_limit = 5
                unhealthy_interval = "2h"
                clone_url = "http://gitlab.internal"
                pre_get_sources_script = "git config --global http.proxy http://proxy:3128"
                post_build_script = "echo done"

                [runners.custom_build_dir]
                enabled = true

                [runners.kubernetes]
                namespace = "gitlab"
                image = "ubuntu:24.04"
                privileged = false
                helper_cpu_limit = "1"
                service_memory_limit_overwrite_max_allowed = "4Gi"
                dns_policy = "cluster-first"
                poll_timeout = 180

                [runners.kubernetes.node_selector]
                "kubernetes.io/arch" = "amd64"

                [runners.runner_fleet]
                sidecar_mode = "native"
                """;
        ManagerConfig config = ConfigTomlReader.read("legacy.toml", toml).config();
        ExecutorSpec kubernetes = config.runners().get(0).kubernetes();
        assertThat(config.concurrent()).isEqualTo(4);
        assertThat(kubernetes.helper().cpuLimit()).isEqualTo("1");
        assertThat(kubernetes.service().memoryLimitOverwriteMaxAllowed()).isEqualTo("4Gi");
        assertThat(kubernetes.dns().policy()).isEqualTo(DnsPolicy.ClusterFirst);
        assertThat(kubernetes.nodeSelector()).isEqualTo(Map.of("kubernetes.io/arch", "amd64"));
        assertThat(kubernetes.sidecarMode()).isEqualTo(SidecarMode.NATIVE);
        assertThat(config.runners().get(0).unhealthy()).isEqualTo(new RunnerEntry.Unhealthy(5, 7200));
        assertThat(config.runners().get(0).sources())
                .isEqualTo(new RunnerSources(
                        "http://gitlab.internal",
                        true,
                        "git config --global http.proxy http://proxy:3128",
                        null,
                        null,
                        "echo done"));

        String written = ConfigTomlWriter.write(config);
        assertThat(ConfigTomlReader.read("again.toml", written).config()).isEqualTo(config);
        for (String line : toml.lines().filter(l -> l.contains(" = ")).toList()) {
            assertThat(written).as("key kept: %s", line).contains(line);
        }
    }

    /**
     * Issue #17: the managers build the Job Pods from config.toml, so {@code protect: false} must reach them there, as
     * gitlab-runner's {@code pod_disruption_budget = false}; maxWait is the operator's and stays out.
     */
    @Test
    void disruptionProtectOffIsPodDisruptionBudgetFalseAndReachesTheManagersJobPods() {
        RunnerFleet off = Fleets.with(
                fleet("../examples/seed-fleet.yaml"),
                "spec.executor.disruption",
                Map.of("protect", false, "maxWait", "2h"));
        String toml = ConfigTomlWriter.write(ManagerConfigBuilder.build(off));
        assertThat(toml).contains("pod_disruption_budget = false").doesNotContain("\"2h\"", "max_wait");
        Pod pod = managersJobPod(off, toml);
        assertThat(pod.getMetadata().getLabels()).doesNotContainKey(FleetLabels.DISRUPTION_PROTECTED);
        assertThat(pod.getMetadata().getAnnotations()).doesNotContainKey(FleetLabels.SAFE_TO_EVICT);

        RunnerFleet on =
                Fleets.with(fleet("../examples/seed-fleet.yaml"), "spec.executor.disruption", Map.of("maxWait", "2h"));
        String protectedToml = ConfigTomlWriter.write(ManagerConfigBuilder.build(on));
        assertThat(protectedToml)
                .as("protected is the default: no key, and a change of maxWait does not change config.toml")
                .isEqualTo(ConfigTomlWriter.write(ManagerConfigBuilder.build(fleet("../examples/seed-fleet.yaml"))))
                .doesNotContain("pod_disruption_budget");
        Pod protectedPod = managersJobPod(on, protectedToml);
        assertThat(protectedPod.getMetadata().getLabels()).containsEntry(FleetLabels.DISRUPTION_PROTECTED, "true");
        assertThat(protectedPod.getMetadata().getAnnotations()).containsEntry(FleetLabels.SAFE_TO_EVICT, "false");
    }

    @Test
    void podDisruptionBudgetReadsAsGitlabRunnersBooleanAndAWrongTypeNamesTheKey() {
        String base = """
                [[runners]]
                url = "https://g/"
                [runners.kubernetes]
                """;
        assertThat(executor(base + "pod_disruption_budget = false\n")
                        .disruptionOrDefaults()
                        .protect())
                .isFalse();
        assertThat(executor(base + "pod_disruption_budget = true\n").disruption())
                .as("true is this project's default")
                .isNull();
        assertThat(executor(base).disruptionOrDefaults().protect())
                .as("unset protects here, unlike gitlab-runner")
                .isTrue();
        assertThatThrownBy(() -> ConfigTomlReader.read("bad.toml", base + "pod_disruption_budget = \"maybe\"\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad.toml")
                .hasMessageContaining("runners[0].kubernetes.pod_disruption_budget");
    }

    private static ExecutorSpec executor(String toml) {
        ConfigTomlReader.Result read = ConfigTomlReader.read("config.toml", toml);
        assertThat(read.ignoredKeys()).isEmpty();
        return read.config().runners().get(0).kubernetes();
    }

    /** The Job Pod of an example job built, as a manager builds it, from the executor that config.toml holds. */
    private static Pod managersJobPod(RunnerFleet fleet, String toml) {
        ExecutorSpec executor = ConfigTomlReader.read("config.toml", toml)
                .config()
                .runners()
                .get(0)
                .kubernetes();
        JobPodContext ctx = new JobPodContext(
                fleet.getMetadata().getName(), executor.namespace(), executor, List.of(), "manager-0", null);
        return JobPodBuilder.build(JobPayloadReader.read(Examples.path("jobs/kubectl-deploy.json")), ctx)
                .pod();
    }

    @Test
    void keysThisProjectDoesNotModelAreReportedNotDropped() {
        List<String> ignored = ConfigTomlReader.read("x.toml", """
                concurrent = 1
                log_level = "debug"
                [[runners]]
                url = "https://g/"
                token = "glrt-secret"
                [runners.kubernetes]
                namespace_per_job = true
                """).ignoredKeys();
        assertThat(ignored).containsExactly("log_level", "runners[0].token", "runners[0].kubernetes.namespace_per_job");
    }

    @Test
    void unhealthySettingsAreGitlabRunnersDefaultsWhenUnsetAndNamedWhenWrong() {
        RunnerEntry plain = ConfigTomlReader.read("x.toml", "[[runners]]\nurl = \"https://g/\"\n")
                .config()
                .runners()
                .get(0);
        assertThat(plain.unhealthy()).isEqualTo(RunnerEntry.Unhealthy.DEFAULTS);
        assertThat(plain.unhealthy().requestsLimitOrDefault()).isEqualTo(3);
        assertThat(ConfigTomlWriter.write(new ManagerConfig(1, 3, ":9252", 30, List.of(plain))))
                .doesNotContain("unhealthy");
        assertThat(ConfigTomlReader.read("x.toml", "[[runners]]\nunhealthy_requests_limit = 0\n")
                        .config()
                        .runners()
                        .get(0)
                        .unhealthy()
                        .requestsLimitOrDefault())
                .as("below 1 is unset, as gitlab-runner's GetUnhealthyRequestsLimit")
                .isEqualTo(3);
        for (String bad : List.of("\"soon\"", "3600")) {
            assertThatThrownBy(() -> ConfigTomlReader.read("bad.toml", "[[runners]]\nunhealthy_interval = " + bad))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("runners[0].unhealthy_interval")
                    .hasMessageContaining("unhealthy_interval = \"1h\"");
        }
    }

    @Test
    void featureFlagsRoundTripAndAnUnknownNameIsReportedNotUsed() {
        ConfigTomlReader.Result read = ConfigTomlReader.read("config.toml", """
                concurrent = 1
                [[runners]]
                url = "https://g/"
                [runners.feature_flags]
                FF_TIMESTAMPS = false
                FF_NOT_A_FLAG = true
                """);
        assertThat(read.ignoredKeys()).containsExactly("runners[0].feature_flags.FF_NOT_A_FLAG");
        RunnerEntry runner = read.config().runners().get(0);
        assertThat(runner.featureFlags().configured()).isEqualTo(java.util.Map.of("FF_TIMESTAMPS", false));
        String written = ConfigTomlWriter.write(read.config());
        assertThat(written).contains("[runners.feature_flags]", "FF_TIMESTAMPS = false");
        assertThat(ConfigTomlReader.read("config.toml", written).config()).isEqualTo(read.config());
    }

    @Test
    void capacityAwareIsReadFromTheFleetTableWrittenBackOnlyWhenSetAndAWrongValueNamesTheKeyAndTheThreeModes() {
        String toml = """
                [[runners]]
                url = "https://g/"
                [runners.runner_fleet]
                capacity_aware = "none"
                """;
        ManagerConfig config = ConfigTomlReader.read("config.toml", toml).config();
        ExecutorSpec executor = config.runners().get(0).kubernetes();
        assertThat(executor.capacityAware()).isEqualTo(CapacityAware.NONE);
        assertThat(ConfigTomlWriter.write(config)).contains("[runners.runner_fleet]", "capacity_aware = \"none\"");

        ManagerConfig unset = ConfigTomlReader.read("config.toml", "[[runners]]\nurl = \"https://g/\"\n")
                .config();
        assertThat(unset.runners().get(0).kubernetes().capacityAwareOrDefault()).isEqualTo(CapacityAware.QUOTA);
        assertThat(ConfigTomlWriter.write(unset)).doesNotContain("capacity_aware");

        ManagerConfig nodes = ConfigTomlReader.read("config.toml", toml.replace("\"none\"", "\"nodes\""))
                .config();
        assertThat(nodes.runners().get(0).kubernetes().capacityAware()).isEqualTo(CapacityAware.NODES);
        assertThat(ConfigTomlWriter.write(nodes)).contains("capacity_aware = \"nodes\"");

        assertThatThrownBy(() -> ConfigTomlReader.read("config.toml", toml.replace("\"none\"", "\"node\"")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runners[0].runner_fleet.capacity_aware")
                .hasMessageContaining("expected \"quota\", \"nodes\" or \"none\", got \"node\"");
    }

    @Test
    void malformedTomlNamesTheLine() {
        assertThatThrownBy(() -> ConfigTomlReader.read("bad.toml", "concurrent = \n[[runners]"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad.toml")
                .hasMessageContaining("line 1");
    }

    /** Written only when off; a config.toml without it (gitlab-runner's, or an older fleet's) inherits. */
    @Test
    void dindInheritIsOnUnlessRunnerFleetSaysFalse() {
        String seed = ConfigTomlWriter.write(ManagerConfigBuilder.build(fleet("../examples/seed-fleet.yaml")));
        assertThat(seed).doesNotContain("dind_inherit");
        assertThat(ConfigTomlReader.read("seed.toml", seed)
                        .config()
                        .runners()
                        .get(0)
                        .kubernetes()
                        .dind()
                        .inherit())
                .isTrue();
        String off = "[[runners]]\n[runners.runner_fleet]\ndind_inherit = false\n";
        assertThat(ConfigTomlReader.read("off.toml", off)
                        .config()
                        .runners()
                        .get(0)
                        .kubernetes()
                        .dind()
                        .inherit())
                .isFalse();
        assertThatThrownBy(() -> ConfigTomlReader.read("bad.toml", off.replace("false", "\"no\"")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runners[0].runner_fleet.dind_inherit")
                .hasMessageContaining("expected true or false, got \"no\"");
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertThatThrownBy(() -> ConfigTomlReader.read("bad.toml", "concurrent = \"ten\""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("concurrent")
                .hasMessageContaining("expected an integer");
    }

    @Test
    void procMountIsReadInAnyCaseAsGitlabRunnerAndAnUnknownValueNamesTheField() {
        ExecutorSpec executor = ConfigTomlReader.read("config.toml", """
                        [[runners]]
                        url = "https://g/"
                        [runners.kubernetes]
                          [runners.kubernetes.build_container_security_context]
                            proc_mount = " unmasked "
                          [runners.kubernetes.init_permissions_container_security_context]
                            run_as_user = 0
                            proc_mount = "DEFAULT"
                          [runners.kubernetes.helper_container_security_context]
                            run_as_user = 1000
                            proc_mount = ""
                        """)
                .config()
                .runners()
                .get(0)
                .kubernetes();
        assertThat(executor.buildSecurityContext().procMount()).isEqualTo(ProcMount.Unmasked);
        assertThat(executor.prepareSecurityContext().procMount()).isEqualTo(ProcMount.Default);
        assertThat(executor.prepareSecurityContext().runAsUser()).isZero();
        assertThat(executor.helperSecurityContext().procMount())
                .as("empty is unset")
                .isNull();

        assertThatThrownBy(() -> ConfigTomlReader.read("bad.toml", """
                        [[runners]]
                        url = "https://g/"
                        [runners.kubernetes.service_container_security_context]
                          proc_mount = "masked"
                        """))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad.toml")
                .hasMessageContaining("proc_mount")
                .hasMessageContaining("Unmasked");
    }

    @Test
    void theSeedsTokenRotationIsWrittenIntoRunnerFleetWithTheSecretItWritesTo() {
        ManagerConfig config = ManagerConfigBuilder.build(fleet("../examples/seed-fleet.yaml"));

        assertThat(ConfigTomlWriter.write(config))
                .contains(
                        "token_rotation_before = \"72h\"",
                        "token_secret = \"build-fleet-token\"",
                        "token_secret_key = \"token\"");
        assertThat(config.runners().get(0).tokenRotation())
                .isEqualTo(new TokenRotation(java.time.Duration.ofHours(72), "build-fleet-token", "token"));
        assertThat(ManagerConfigBuilder.build(fleet("src/test/resources/fleets/s3-cache-fleet.yaml"))
                        .runners()
                        .get(0)
                        .tokenRotation())
                .as("absent: no rotation")
                .isNull();
    }

    @Test
    void aBadTokenRotationNamesTheKeyAndTheFix() {
        assertThatThrownBy(() -> ConfigTomlReader.read(
                        "bad.toml", "[[runners]]\n[runners.runner_fleet]\ntoken_rotation_before = \"soon\"\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runners[0].runner_fleet.token_rotation_before")
                .hasMessageContaining("token_rotation_before = \"72h\"");
        assertThatThrownBy(() -> ConfigTomlReader.read(
                        "bad.toml", "[[runners]]\n[runners.runner_fleet]\ntoken_rotation_before = \"72h\"\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs token_secret");
        assertThatThrownBy(() -> ConfigTomlReader.read(
                        "bad.toml",
                        "[[runners]]\n[runners.runner_fleet]\ntoken_rotation_before = \"0s\"\ntoken_secret = \"t\"\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than 0s");
    }
}
