package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.gitlab.client.RunnerInfo;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.yaml.Yaml;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunnerManagerTest {
    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void theManagerSaysWhichGitLabRunnerItSpeaksAsAndItsOwnVersionAndRevision() {
        RunnerManager manager = harness.startManager("shop-manager-a");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !harness.gitlab.requests("request_job").isEmpty());
        var request = harness.gitlab.requests("request_job").get(0);
        String version = RunnerInfo.DEFAULT_VERSION + "~runner-fleet." + BuildInfo.version();
        assertThat(request.json().path("info").path("version").asText()).isEqualTo(version);
        assertThat(request.json().path("info").path("revision").asText())
                .isEqualTo(BuildInfo.revision())
                .isNotEmpty();
        assertThat(request.header("User-Agent")).startsWith("gitlab-runner " + version + " (runner-fleet; ");
        harness.gitlab.enqueue(TestJob.builder(103).build());
        harness.awaitDone(103, Duration.ofSeconds(30));
        assertThat(harness.gitlab.traceText(103))
                .contains("Running with runner-fleet " + BuildInfo.version() + " (" + BuildInfo.revision() + ")");
        assertThat(manager.metrics()
                        .registry()
                        .family("gitlab_runner_version_info")
                        .value(
                                "runner-fleet",
                                BuildInfo.version(),
                                BuildInfo.revision(),
                                "runner-fleet",
                                "java" + System.getProperty("java.version"),
                                "",
                                System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT),
                                System.getProperty("os.arch")))
                .isEqualTo(1);
    }

    @Test
    void afterThreeUnhealthyJobRequestsInARowTheRunnerAsksForNoJobForTheUnhealthyInterval() {
        harness.gitlab.setFaults(FaultPlan.errors(1, 1.0, 403, "request_job"));
        RunnerManager manager = harness.startManager("shop-manager-a");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.gitlab.requests("request_job").size() >= 3);
        // Disabled until the harness's unhealthy interval (4 s; gitlab-runner's default is 60 min) has passed since
        // the runner was last healthy (its start): the requests went at 0, 1 and 2 s (check_interval 1 s).
        await().during(Duration.ofMillis(1000))
                .atMost(Duration.ofMillis(1500))
                .until(() -> harness.gitlab.requests("request_job").size() == 3);
        assertThat(manager.metrics()
                        .registry()
                        .family("gitlab_runner_worker_health_check_failures_total")
                        .value("t1_TestRu", ManagerHarness.FLEET, ManagerIdentity.systemIdFor("shop-manager-a")))
                .isEqualTo(3);
        // The fleet learns why from the Lease (renewed every 300 ms here): three failures, and until when.
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(harness.client()
                                .leases()
                                .inNamespace(ManagerHarness.NAMESPACE)
                                .withName(ManagerLease.leaseName("shop-manager-a"))
                                .get()
                                .getMetadata()
                                .getAnnotations())
                        .containsEntry(ManagerReport.BACKOFF_FAILURES, "3")
                        .containsKey(ManagerReport.BACKOFF_UNTIL)
                        .containsEntry(ManagerReport.TOKEN_REJECTED, "true"));

        harness.gitlab.setFaults(FaultPlan.NONE);
        harness.gitlab.enqueue(TestJob.builder(102).build());
        harness.awaitDone(102, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(harness.client()
                                .leases()
                                .inNamespace(ManagerHarness.NAMESPACE)
                                .withName(ManagerLease.leaseName("shop-manager-a"))
                                .get()
                                .getMetadata()
                                .getAnnotations())
                        .as("the back-off is gone from the report once the manager asks again")
                        .doesNotContainKeys(ManagerReport.BACKOFF_UNTIL, ManagerReport.BACKOFF_FAILURES));
    }

    /** {@code spec.paused} as the operator writes it on the manager's Lease: no job request, then a quick resume. */
    @Test
    void aPausedManagerAsksForNoJobUntilTheFlagGoesAndIsNotRestarted() {
        RunnerManager manager = harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(104).build());
        harness.awaitDone(104, Duration.ofSeconds(30));

        setPaused("shop-manager-a", true);
        await().atMost(Duration.ofSeconds(5)).until(manager::paused);
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.gitlab.heldPolls() == 0);
        int asked = harness.gitlab.requests("request_job").size();
        harness.gitlab.enqueue(TestJob.builder(105).build());
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> harness.gitlab.requests("request_job").size() == asked
                        && harness.gitlab.state(105) == TestGitLab.State.PENDING);

        setPaused("shop-manager-a", false);
        harness.awaitDone(105, Duration.ofSeconds(30));
        assertThat(manager.ready()).as("the same manager, never restarted").isTrue();
    }

    /** As the operator writes it: a write racing the manager's renewal gets 409 and is made again. */
    private void setPaused(String manager, boolean paused) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            harness.client()
                    .leases()
                    .inNamespace(ManagerHarness.NAMESPACE)
                    .withName(ManagerLease.leaseName(manager))
                    .edit(lease -> {
                        lease.getMetadata().getAnnotations().put(ManagerReport.PAUSED, Boolean.toString(paused));
                        return lease;
                    });
            return true;
        });
    }

    /** {@code unhealthy_requests_limit} and {@code unhealthy_interval} of the runner's entry, not the defaults. */
    @Test
    void theRunnersOwnUnhealthyRequestsLimitAndIntervalApply() {
        harness.gitlab.setFaults(FaultPlan.errors(1, 1.0, 403, "request_job"));
        ManagerConfig config = harness.config(10);
        RunnerEntry runner = config.runners().get(0);
        ManagerConfig strict = new ManagerConfig(
                config.concurrent(),
                config.checkIntervalSeconds(),
                config.listenAddress(),
                config.shutdownTimeoutSeconds(),
                List.of(runner.withUnhealthy(new RunnerEntry.Unhealthy(2, 3600))));
        harness.startManager("shop-manager-a", strict);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.gitlab.requests("request_job").size() >= 2);
        // With gitlab-runner's limit of 3 a third request would go at 2 s (check_interval 1 s); with 2 none does, and
        // the harness's own interval (4 s) is replaced by the entry's hour.
        await().during(Duration.ofMillis(5000))
                .atMost(Duration.ofMillis(6000))
                .until(() -> harness.gitlab.requests("request_job").size() == 2);
    }

    @Test
    void aJobSucceedsEndToEnd() {
        TestJob job = TestJob.builder(101).script("make test").build();
        AtomicReference<Pod> seenPod = new AtomicReference<>();
        harness.kubelet.scenario(101, k -> {
            seenPod.set(k.raw().pod());
            Scenarios.success().play(k);
        });
        RunnerManager manager = harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(job);

        harness.awaitDone(101, Duration.ofSeconds(30));

        TestGitLab.JobView view = harness.gitlab.job(101);
        assertThat(view.state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(view.finalUpdates()).isEqualTo(1);
        assertThat(view.reportedStates()).startsWith("running");
        String trace = harness.gitlab.traceText(101);
        assertThat(trace)
                .contains(
                        "Running with runner-fleet",
                        "section_start:",
                        ":step_script\r\u001b[0K",
                        "running 3 tests",
                        "ok  shop/pay",
                        "done without newline",
                        "Job succeeded");
        assertThat(trace.indexOf("Fetching changes")).isLessThan(trace.indexOf("running 3 tests"));
        assertThat(trace.indexOf("running 3 tests")).isLessThan(trace.indexOf("Uploading artifacts"));

        Pod expected = JobPodBuilder.build(
                        JobPayloadReader.read("job", job.json()),
                        new JobPodContext(
                                        ManagerHarness.FLEET,
                                        ManagerHarness.NAMESPACE,
                                        harness.config(10).runners().get(0).kubernetes(),
                                        java.util.List.of(),
                                        "shop-manager-a",
                                        null)
                                .withRunner(JobPodContext.Runner.thisProcess(
                                        RunnerToken.of(TestGitLab.RUNNER_TOKEN).shortId()))
                                // The runner's url: git's credentials and the helper's uploads go there.
                                .withSettings(new JobPodContext.RunnerSettings(
                                        harness.config(10).runners().get(0).url(), null))
                                .withFeatureFlags(
                                        harness.config(10).runners().get(0).featureFlags()))
                .pod();
        assertThat(Yaml.write(seenPod.get().getSpec()))
                .as("the pod is what the builder says")
                .isEqualTo(Yaml.write(expected.getSpec()));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
        assertThat(manager.metrics()
                        .registry()
                        .family("gitlab_runner_jobs_total")
                        .value("t1_TestRu", ManagerHarness.FLEET, systemId()))
                .isEqualTo(1);
    }

    @Test
    void registryCredentialsBecomeAPullSecretThatGoesWithTheJob() {
        String password = "glcbt-64_RegistryPassw0rdValue";
        TestJob job = TestJob.builder(102)
                .script("make test")
                .image("registry.example.com/group/app/ci:1")
                .registryCredentials("registry.example.com", "gitlab-ci-token", password)
                .build();
        String pullSecret = io.runnerfleet.jobpod.JobPodNames.registrySecretName(ManagerHarness.FLEET, 102);
        AtomicReference<Pod> seenPod = new AtomicReference<>();
        AtomicReference<io.fabric8.kubernetes.api.model.Secret> seenSecret = new AtomicReference<>();
        harness.kubelet.scenario(102, k -> {
            seenPod.set(k.raw().pod());
            // The manager makes it the pod's right after creating the pod.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var current = harness.client()
                        .secrets()
                        .inNamespace(ManagerHarness.NAMESPACE)
                        .withName(pullSecret)
                        .get();
                seenSecret.set(current);
                return current != null
                        && !current.getMetadata().getOwnerReferences().isEmpty();
            });
            Scenarios.success().play(k);
        });
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(job);

        harness.awaitDone(102, Duration.ofSeconds(30));

        assertThat(harness.gitlab.job(102).state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(seenPod.get().getSpec().getImagePullSecrets())
                .extracting(r -> r.getName())
                .endsWith(pullSecret);
        io.fabric8.kubernetes.api.model.Secret secret = seenSecret.get();
        assertThat(secret).as("created before the pod ran").isNotNull();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(secret.getMetadata().getOwnerReferences())
                .as("owned by the pod")
                .anyMatch(o -> o.getKind().equals("Pod")
                        && o.getName().equals(seenPod.get().getMetadata().getName()));
        String config = secret.getStringData() != null
                ? secret.getStringData().get(".dockerconfigjson")
                : new String(
                        java.util.Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(config).contains("\"registry.example.com\"", password);
        assertThat(harness.gitlab.traceText(102)).doesNotContain(password);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    private static String systemId() {
        return ManagerIdentity.systemIdFor("shop-manager-a");
    }
}
