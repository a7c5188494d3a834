package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.ContainerResources;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.config.FleetIdentity;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #17 against a real kube-apiserver, whose ResourceQuota admission plugin refuses a pod over quota (and, as no
 * kube-controller-manager runs here, the test writes the quota's {@code status.hard} itself, which admission needs;
 * admission then adds each pod it admits to {@code status.used}). One manager with 10 slots, with the RBAC the
 * operator grants, a quota for 3 Job Pods and 10 queued jobs: it creates exactly 3 Job Pods, none is refused, the
 * other 7 jobs stay pending in GitLab (no kubelet runs the pods, so the 3 never finish), and it keeps skipping.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class CapacityAwarePollingOnRealApiServerTest {
    private final RealApiServer server;

    CapacityAwarePollingOnRealApiServerTest(RealApiServer server) {
        this.server = server;
    }

    @Test
    void aQuotaForThreeJobPodsGetsThreeJobPodsAndTheRealQuotaAdmissionRefusesNone() {
        KubernetesClient admin = server.admin();
        String ns = server.createNamespace("capacity");
        RunnerFleet fleet = Fleets.seed(ns);
        String fleetName = fleet.getMetadata().getName();
        FleetObjects objects = FleetObjects.of(fleet, OperatorDefaults.forThisBuild());
        List<HasMetadata> rbac = List.of(
                objects.serviceAccount(),
                objects.jobRole(),
                objects.jobRoleBinding(),
                objects.leaseRole(),
                objects.leaseRoleBinding());
        rbac.forEach(o -> admin.resource(o).create());
        ResourceQuota quota = admin.resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("compute")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withHard(Map.of("requests.cpu", new Quantity("2"), "pods", new Quantity("20")))
                        .endSpec()
                        .build())
                .create();
        // The quota controller's first write: hard copied, nothing used yet.
        admin.resource(new ResourceQuotaBuilder(quota)
                        .withNewStatus()
                        .withHard(quota.getSpec().getHard())
                        .withUsed(Map.of("requests.cpu", new Quantity("0"), "pods", new Quantity("0")))
                        .endStatus()
                        .build())
                .updateStatus();

        try (TestGitLab gitlab = TestGitLab.builder()
                        .longPoll(Duration.ofMillis(500))
                        .updateIntervalSeconds(0)
                        .start();
                KubernetesClient managerClient = server.asServiceAccount(
                        ns, objects.serviceAccount().getMetadata().getName())) {
            LongStream.rangeClosed(1901, 1910)
                    .forEach(id -> gitlab.enqueue(TestJob.builder(id).build()));
            RunnerManager manager = new RunnerManager(
                    config(gitlab, ns, fleetName),
                    RunnerToken.of(TestGitLab.RUNNER_TOKEN),
                    new ManagerIdentity(fleetName + "-manager-a", ns, ManagerIdentity.systemIdFor("a")),
                    managerClient,
                    new ManagerOptions(
                            ManagerHarness.fastTimings(),
                            TraceUploader.Options.defaults()
                                    .withIntervals(Duration.ofMillis(200), Duration.ofSeconds(5)),
                            b -> b.backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                                    .callTimeout(Duration.ofSeconds(2)),
                            "127.0.0.1:0",
                            Clock.systemUTC(),
                            CacheCredentialsEnv.S3Keys.NONE));
            try {
                manager.start();
                // Two skips after the third pod: the manager had room to ask again twice and did not.
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> skipped(manager) >= 2 && jobPods(admin, ns, fleetName) == 3);

                assertThat(jobPods(admin, ns, fleetName)).as("Job Pods created").isEqualTo(3);
                assertThat(LongStream.rangeClosed(1901, 1910).mapToObj(gitlab::state))
                        .as("jobs handed out (running, waiting for their pods) and left in GitLab")
                        .filteredOn(state -> state == TestGitLab.State.RUNNING)
                        .hasSize(3);
                assertThat(LongStream.rangeClosed(1901, 1910).mapToObj(gitlab::state))
                        .filteredOn(state -> state == TestGitLab.State.PENDING)
                        .hasSize(7);
                Map<String, Quantity> used = admin.resourceQuotas()
                        .inNamespace(ns)
                        .withName("compute")
                        .get()
                        .getStatus()
                        .getUsed();
                // What the quota admission counted as it admitted the pods: 3 pods, 3 x 600m of the 2 CPUs.
                assertThat(Quantity.getAmountInBytes(used.get("pods"))).isEqualByComparingTo("3");
                assertThat(Quantity.getAmountInBytes(used.get("requests.cpu"))).isEqualByComparingTo("1.8");
            } finally {
                manager.crash();
            }
        }
    }

    private static double skipped(RunnerManager manager) {
        return manager.metrics()
                .registry()
                .family("runner_fleet_requests_skipped_total")
                .value(ManagerHarness.FLEET, "quota");
    }

    private static int jobPods(KubernetesClient admin, String ns, String fleetName) {
        return admin.pods()
                .inNamespace(ns)
                .withLabel(FleetLabels.FLEET, fleetName)
                .withLabel(FleetLabels.JOB_ID)
                .list()
                .getItems()
                .size();
    }

    /** One runner entry like ManagerHarness's, working for {@code fleetName} in {@code ns}: 10 slots, 600m per pod. */
    private static ManagerConfig config(TestGitLab gitlab, String ns, String fleetName) {
        ExecutorSpec executor = ExecutorSpec.builder()
                .namespace(ns)
                .image("alpine:3.20")
                .helperImage("registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0")
                .pollTimeout(600)
                .build(new ContainerResources(
                        null, "500m", null, "128Mi", null, null, null, null, null, null, null, null))
                .helper(new ContainerResources(
                        null, "100m", null, "64Mi", null, null, null, null, null, null, null, null))
                .build();
        RunnerEntry runner = new RunnerEntry(
                ManagerHarness.FLEET,
                gitlab.url(),
                RunnerEntry.KUBERNETES_EXECUTOR,
                0,
                1,
                4096,
                List.of(),
                executor,
                new FleetIdentity(fleetName, ns),
                RunnerEntry.Unhealthy.DEFAULTS,
                FeatureFlags.parse(Map.of(FeatureFlags.TIMESTAMPS, false), "test", "feature_flags"),
                null,
                null,
                null,
                null);
        return new ManagerConfig(10, 1, ":0", 3, List.of(runner));
    }
}
