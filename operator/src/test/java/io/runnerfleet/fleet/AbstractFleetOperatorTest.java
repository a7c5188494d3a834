package io.runnerfleet.fleet;

import static io.runnerfleet.fleet.OperatorHarness.condition;
import static io.runnerfleet.fleet.OperatorHarness.observed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.WarmCapacitySpec;
import io.runnerfleet.desired.ConfigHash;
import io.runnerfleet.desired.DesiredRbac;
import io.runnerfleet.desired.FleetNames;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.ManagerPermissions;
import io.runnerfleet.gitlab.client.JobRequestResult;
import io.runnerfleet.manager.GitLabContact;
import io.runnerfleet.manager.ManagerLease;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.testing.ExplainWarnings;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator in-process against a {@link TestCluster}, one namespace and one operator per test. Nothing here
 * depends on the cluster but {@link #startCluster()}: {@link FleetOperatorOnMockTest} runs these bodies on fabric8's
 * mock API server, {@link FleetOperatorOnRealApiServerTest} on a real kube-apiserver, which is the judge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFleetOperatorTest {
    private static final String FLEET = "build-fleet";
    private TestCluster cluster;
    private String ns;
    private OperatorHarness harness;

    /** The cluster these tests run on, started once for the class; {@link TestCluster#close()} is called after. */
    abstract TestCluster startCluster();

    @BeforeAll
    void start() {
        cluster = startCluster();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void namespace() {
        ns = cluster.createNamespace("fleet");
    }

    @AfterEach
    void stopOperator() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @Test
    void createsEveryDependentWithTheBuildersFields() {
        harness = OperatorHarness.start(cluster, ns);
        RunnerFleet fleet = createSeedFleet();

        FleetObjects expected = FleetObjects.of(fleet, OperatorConfig.defaults().defaultsForFleets());
        for (HasMetadata want : expected.all()) {
            HasMetadata have = harness.client().resource(want).get();
            assertThat(have)
                    .as("%s %s", want.getKind(), want.getMetadata().getName())
                    .isNotNull();
            assertThat(DesiredStateMatcher.matches(want, have))
                    .as("%s matches the builder", want.getKind())
                    .isTrue();
            assertThat(have.getMetadata().getOwnerReferences())
                    .as("%s is owned by the fleet", want.getKind())
                    .singleElement()
                    .satisfies(ref -> {
                        assertThat(ref.getUid()).isEqualTo(fleet.getMetadata().getUid());
                        assertThat(ref.getKind()).isEqualTo(RunnerFleet.KIND);
                        assertThat(ref.getController()).isTrue();
                    });
        }
        ConfigMap configMap = harness.client()
                .configMaps()
                .inNamespace(ns)
                .withName(FLEET + "-config")
                .get();
        String toml = configMap.getData().get(FleetNames.CONFIG_KEY);
        assertThat(toml).contains("concurrent = 10").doesNotContain("glrt-");
        Deployment deployment = harness.deployment(ns, FLEET);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(FleetLabels.CONFIG_HASH, ConfigHash.of(toml));
        Service metrics = harness.client()
                .services()
                .inNamespace(ns)
                .withName(FLEET + "-metrics")
                .get();
        assertThat(metrics.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(9252));

        RunnerFleet observed = harness.awaitFleet(ns, FLEET, observed(1));
        assertThat(observed.getStatus().capacity()).isEqualTo(30);
        assertThat(observed.getStatus().replicas()).isEqualTo(3);
        assertThat(observed.getStatus().configHash()).isEqualTo(ConfigHash.of(toml));
        assertThat(observed.getStatus().managers()).isEqualTo("0/3");
        assertThat(condition(observed, "TokenSecretFound"))
                .get()
                .extracting(FleetCondition::status)
                .isEqualTo("True");
        assertThat(condition(observed, "Degraded"))
                .get()
                .extracting(FleetCondition::status)
                .isEqualTo("False");
        assertThat(condition(observed, "Diagnostics"))
                .get()
                .extracting(FleetCondition::reason)
                .isEqualTo("NoneFound");
        assertThat(harness.events(ns, "Created"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
    }

    @Test
    void scalesManagersThreeToFiveToZeroAndBack() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();
        String hash = harness.deployment(ns, FLEET)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(FleetLabels.CONFIG_HASH);

        for (int replicas : new int[] {5, 0, 3}) {
            RunnerFleet edited = harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.managers.replicas", replicas));
            await().atMost(OperatorHarness.TIMEOUT)
                    .until(() -> harness.deployment(ns, FLEET).getSpec().getReplicas() == replicas);
            RunnerFleet fleet =
                    harness.awaitFleet(ns, FLEET, observed(edited.getMetadata().getGeneration()));
            assertThat(fleet.getStatus().replicas()).isEqualTo(replicas);
            assertThat(fleet.getStatus().capacity()).isEqualTo(replicas * 10);
            assertThat(fleet.getStatus().managers()).isEqualTo("0/" + replicas);
        }
        assertThat(harness.deployment(ns, FLEET)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .as("scaling does not roll the managers")
                .containsEntry(FleetLabels.CONFIG_HASH, hash);
        assertThat(harness.events(ns, "Scaled"))
                .extracting(e -> e.getMessage())
                .containsExactlyInAnyOrder(
                        "Scaled managers from 3 to 5; capacity is now 50 jobs.",
                        "Scaled managers from 5 to 0; capacity is now 0 jobs.",
                        "Scaled managers from 0 to 3; capacity is now 30 jobs.");
        assertThat(harness.events(ns, "ConfigChanged")).isEmpty();
    }

    @Test
    void configChangeUpdatesTheConfigMapAndRollsTheHash() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();
        cluster.setDeploymentReady(ns, FLEET + "-manager", 3);
        harness.awaitFleet(ns, FLEET, condition("Progressing", "False", "RolledOut"));
        String before = harness.get(ns, FLEET).getStatus().configHash();

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.executor.image", "alpine:3.21"));

        RunnerFleet fleet =
                harness.awaitFleet(ns, FLEET, f -> !before.equals(f.getStatus().configHash()));
        String toml = harness.client()
                .configMaps()
                .inNamespace(ns)
                .withName(FLEET + "-config")
                .get()
                .getData()
                .get(FleetNames.CONFIG_KEY);
        assertThat(toml).contains("alpine:3.21");
        assertThat(fleet.getStatus().configHash()).isEqualTo(ConfigHash.of(toml));
        assertThat(harness.deployment(ns, FLEET)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(FleetLabels.CONFIG_HASH, ConfigHash.of(toml));
        assertThat(condition(fleet, "Progressing"))
                .get()
                .extracting(FleetCondition::reason)
                .isEqualTo("RollingOut");
        assertThat(harness.events(ns, "ConfigChanged"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(before, ConfigHash.of(toml)));

        cluster.setDeploymentReady(ns, FLEET + "-manager", 3);
        harness.awaitFleet(ns, FLEET, condition("Progressing", "False", "RolledOut"));
    }

    @Test
    void readyManagersMakeTheFleetReady() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();

        cluster.setDeploymentReady(ns, FLEET + "-manager", 1);
        RunnerFleet partly = harness.awaitFleet(ns, FLEET, f -> f.getStatus().readyManagers() == 1);
        assertThat(partly.getStatus().managers()).isEqualTo("1/3");
        assertThat(condition(partly, "Ready")).get().satisfies(c -> {
            assertThat(c.status()).isEqualTo("False");
            assertThat(c.reason()).isEqualTo("ManagersNotReady");
            assertThat(c.message()).contains("1/3 managers ready", "kubectl get pods -n " + ns);
        });

        cluster.setDeploymentReady(ns, FLEET + "-manager", 3);
        RunnerFleet ready = harness.awaitFleet(ns, FLEET, condition("Ready", "True", "ManagersReady"));
        assertThat(ready.getStatus().readyManagers()).isEqualTo(3);
        assertThat(ready.getStatus().managers()).isEqualTo("3/3");
        FleetCondition token = condition(ready, "TokenSecretFound").orElseThrow();
        assertThat(token.lastTransitionTime())
                .as("unchanged conditions keep their transition time")
                .isEqualTo(condition(partly, "TokenSecretFound").orElseThrow().lastTransitionTime());
    }

    @Test
    void whatManagersReportOnTheirLeasesBecomesTheGitLabConditionsAndEvents() throws InterruptedException {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();
        // The manager's own classes write the Lease, as a manager pod does with every renewal.
        GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));
        AtomicReference<Instant> reportedAt = new AtomicReference<>(Instant.now());
        Instant expires = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        contact.verified(expires.toString(), Instant.now());
        ManagerLease lease = new ManagerLease(
                harness.client(),
                ns,
                FLEET,
                FLEET + "-manager-7d9f-abcde",
                Duration.ofMinutes(5),
                Clock.systemUTC(),
                () -> contact.report(reportedAt.get()));
        assertThat(lease.renew()).isTrue();

        RunnerFleet reached = harness.awaitFleet(ns, FLEET, condition("GitLabReachable", "True", "Reached"));
        assertThat(condition(reached, "AcceptingJobs").orElseThrow().status()).isEqualTo("True");
        assertThat(condition(reached, "TokenExpiring").orElseThrow())
                .satisfies(c -> assertThat(c.status()).isEqualTo("True"))
                .satisfies(c -> assertThat(c.message()).contains("expires at " + expires));
        assertThat(harness.events(ns, "TokenExpiring"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));

        long before = harness.reconciliations();
        for (int i = 0; i < 3; i++) {
            assertThat(lease.renew()).isTrue();
        }
        Thread.sleep(1_000);
        assertThat(harness.reconciliations() - before)
                .as("renewals that change no report reconcile nothing")
                .isZero();

        contact.requested(new JobRequestResult.Forbidden("403 Forbidden", null), Instant.now());
        assertThat(lease.renew()).isTrue();
        RunnerFleet refused = harness.awaitFleet(ns, FLEET, condition("AcceptingJobs", "False", "TokenRejected"));
        assertThat(condition(refused, "AcceptingJobs").orElseThrow().message())
                .contains("403 Forbidden", "Secret " + Fleets.TOKEN_SECRET);

        reportedAt.set(Instant.now().plusSeconds(60));
        assertThat(lease.renew()).isTrue();
        RunnerFleet unreachable = harness.awaitFleet(ns, FLEET, condition("GitLabReachable", "False", "Unreachable"));
        assertThat(condition(unreachable, "GitLabReachable").orElseThrow().message())
                .contains("last error: 403 Forbidden");
        assertThat(harness.events(ns, "GitLabUnreachable")).hasSize(1);
        assertThat(harness.events(ns, "TokenRejected")).hasSize(1);
    }

    @Test
    void pausingPutsTheFlagOnTheManagersLeasesWithoutRollingThemAndSaysPaused() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();
        cluster.setDeploymentReady(ns, FLEET + "-manager", 3);
        harness.awaitFleet(ns, FLEET, condition("Progressing", "False", "RolledOut"));
        GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));
        contact.verified(null, Instant.now());
        ManagerLease lease = new ManagerLease(
                harness.client(),
                ns,
                FLEET,
                FLEET + "-manager-7d9f-abcde",
                Duration.ofMinutes(5),
                Clock.systemUTC(),
                () -> contact.report(Instant.now()));
        assertThat(lease.renew()).isTrue();
        harness.awaitFleet(ns, FLEET, condition("AcceptingJobs", "True", "TokenAccepted"));
        Deployment before = harness.deployment(ns, FLEET);

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.paused", true));

        RunnerFleet paused = harness.awaitFleet(ns, FLEET, condition("AcceptingJobs", "False", "Paused"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(lease.renew()).isTrue();
            assertThat(lease.paused())
                    .as("the manager reads the flag with its renewal")
                    .isTrue();
        });
        assertThat(harness.events(ns, "Paused")).hasSize(1);
        Deployment during = harness.deployment(ns, FLEET);
        assertThat(during.getSpec().getTemplate())
                .as("a pause rolls no manager")
                .isEqualTo(before.getSpec().getTemplate());
        assertThat(paused.getStatus().configHash())
                .isEqualTo(before.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get("runnerfleet.io/config-hash"));
        assertThat(condition(paused, "Ready").orElseThrow().status()).isEqualTo("True");

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.paused", false));
        harness.awaitFleet(ns, FLEET, condition("AcceptingJobs", "True", "TokenAccepted"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            lease.refreshPaused();
            assertThat(lease.paused()).isFalse();
        });
        assertThat(harness.deployment(ns, FLEET).getSpec().getTemplate())
                .isEqualTo(before.getSpec().getTemplate());
    }

    @Test
    void aManagerBackingOffAfterFailedJobRequestsMakesTheFleetSayWhy() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();
        GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));
        contact.requested(new JobRequestResult.Failed(502, "502 Bad Gateway", false, null), Instant.now());
        Instant until = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        contact.backingOff(until, 3);
        ManagerLease lease = new ManagerLease(
                harness.client(),
                ns,
                FLEET,
                FLEET + "-manager-7d9f-abcde",
                Duration.ofMinutes(5),
                Clock.systemUTC(),
                () -> contact.report(Instant.now()));
        assertThat(lease.renew()).isTrue();

        RunnerFleet backingOff = harness.awaitFleet(ns, FLEET, condition("AcceptingJobs", "False", "BackingOff"));
        assertThat(condition(backingOff, "AcceptingJobs").orElseThrow().message())
                .contains("failed 3 job requests in a row", "until " + until, "last error: 502 Bad Gateway");
        assertThat(harness.events(ns, "BackingOff"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("502 Bad Gateway"));

        contact.requested(new JobRequestResult.NoJob(null), Instant.now());
        assertThat(lease.renew()).isTrue();
        harness.awaitFleet(ns, FLEET, condition("AcceptingJobs", "True", "TokenAccepted"));
    }

    @Test
    void aManagerReportingAFullQuotaTurnsCapacityLimitedTrueNamingTheQuotaAndFalseOnceAJobPodFits() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.seed(ns));
        GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));
        contact.requested(new JobRequestResult.NoJob(null), Instant.now());
        contact.capacity(
                "ResourceQuota " + ns + "/compute: requests.cpu 3 of 3 in use, a Job Pod needs 1", Instant.now());
        ManagerLease lease = new ManagerLease(
                harness.client(),
                ns,
                FLEET,
                FLEET + "-manager-7d9f-abcde",
                Duration.ofMinutes(5),
                Clock.systemUTC(),
                () -> contact.report(Instant.now()));
        assertThat(lease.renew()).isTrue();

        RunnerFleet limited = harness.awaitFleet(ns, FLEET, condition("CapacityLimited", "True", "QuotaFull"));
        assertThat(condition(limited, "CapacityLimited").orElseThrow().message())
                .contains("ResourceQuota " + ns + "/compute: requests.cpu 3 of 3 in use");

        contact.capacity(null, Instant.now());
        assertThat(lease.renew()).isTrue();
        harness.awaitFleet(ns, FLEET, condition("CapacityLimited", "False", "CapacityAvailable"));
    }

    @Test
    void tokenExpiryWarningOfTheSpecDecidesWhenTokenExpiringTurnsTrue() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.with(Fleets.seed(ns), "spec.gitlab.tokenExpiryWarning", "1h"));
        GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));
        Instant expires = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        contact.verified(expires.toString(), Instant.now());
        ManagerLease lease = new ManagerLease(
                harness.client(),
                ns,
                FLEET,
                FLEET + "-manager-7d9f-abcde",
                Duration.ofMinutes(5),
                Clock.systemUTC(),
                () -> contact.report(Instant.now()));
        assertThat(lease.renew()).isTrue();

        RunnerFleet early = harness.awaitFleet(ns, FLEET, condition("TokenExpiring", "False", "NotExpiringSoon"));
        assertThat(condition(early, "TokenExpiring").orElseThrow().message()).contains(expires.toString());

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.gitlab.tokenExpiryWarning", "96h"));
        RunnerFleet warned = harness.awaitFleet(ns, FLEET, condition("TokenExpiring", "True", "ExpiresSoon"));
        assertThat(condition(warned, "TokenExpiring").orElseThrow().message()).contains("expires at " + expires);
        assertThat(harness.events(ns, "TokenExpiring")).hasSize(1);
    }

    @Test
    void aFailedTokenRotationReportedOnAManagersLeaseTurnsTokenExpiringWithOneEventAndClearsWhenItSucceeds() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.seed(ns));
        GitLabContact contact = new GitLabContact(Duration.ofSeconds(3));
        Instant expires = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        contact.verified(expires.toString(), Instant.now());
        // What TokenRotator reports after GitLab failed the reset: the manager's words, never a token.
        contact.rotationFailed(
                "GitLab's reset failed (500), the old token stays: 500 Internal Server Error", Instant.now());
        ManagerLease lease = new ManagerLease(
                harness.client(),
                ns,
                FLEET,
                FLEET + "-manager-7d9f-abcde",
                Duration.ofMinutes(5),
                Clock.systemUTC(),
                () -> contact.report(Instant.now()));
        assertThat(lease.renew()).isTrue();

        RunnerFleet failed = harness.awaitFleet(ns, FLEET, condition("TokenExpiring", "True", "RotationFailed"));
        assertThat(condition(failed, "TokenExpiring").orElseThrow().message())
                .contains(
                        "fails on " + FLEET + "-manager-7d9f-abcde",
                        "GitLab's reset failed (500), the old token stays",
                        "expires at " + expires,
                        "Secret " + Fleets.TOKEN_SECRET)
                .doesNotContain("glrt-");
        assertThat(harness.events(ns, "TokenRotationFailed")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("GitLab's reset failed (500)").doesNotContain("glrt-");
        });
        assertThat(harness.events(ns, "TokenExpiring")).isEmpty();

        // A retry failing alike (a renewal) sends no second Event.
        contact.rotationFailed(
                "GitLab's reset failed (500), the old token stays: 500 Internal Server Error", Instant.now());
        assertThat(lease.renew()).isTrue();

        Instant rotatedExpiry = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        contact.rotationSucceeded();
        contact.verified(rotatedExpiry.toString(), Instant.now());
        assertThat(lease.renew()).isTrue();
        RunnerFleet rotated = harness.awaitFleet(ns, FLEET, condition("TokenExpiring", "False", "NotExpiringSoon"));
        assertThat(condition(rotated, "TokenExpiring").orElseThrow().message()).contains(rotatedExpiry.toString());
        assertThat(harness.events(ns, "TokenRotationFailed")).hasSize(1);
    }

    @Test
    void aMisconfiguredFleetShowsExplainsWarningsAsItsDiagnosticsCondition() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        RunnerFleet onClusterDns = Fleets.with(Fleets.seed(ns), "spec.executor.dns", null);
        harness.create(onClusterDns);

        RunnerFleet fleet = harness.awaitFleet(ns, FLEET, condition("Diagnostics", "True", "MisconfigurationFound"));
        assertThat(condition(fleet, "Diagnostics").orElseThrow().message())
                .isEqualTo(ExplainWarnings.of(onClusterDns))
                .contains("the Job Pods use cluster DNS (ClusterFirst) with no nameservers");
        assertThat(condition(fleet, "Degraded"))
                .get()
                .extracting(FleetCondition::status)
                .as("a known misconfiguration is reported, not enforced")
                .isEqualTo("False");
    }

    @Test
    void missingTokenSecretChangesNothingUntilTheSecretAppears() {
        harness = OperatorHarness.start(cluster, ns);
        harness.create(Fleets.seed(ns));

        RunnerFleet fleet = harness.awaitFleet(ns, FLEET, condition("TokenSecretFound", "False", "SecretNotFound"));
        assertThat(condition(fleet, "TokenSecretFound").orElseThrow().message())
                .contains("kubectl create secret generic " + Fleets.TOKEN_SECRET + " -n " + ns);
        assertThat(condition(fleet, "Degraded"))
                .get()
                .extracting(FleetCondition::status)
                .isEqualTo("True");
        assertThat(condition(fleet, "Ready"))
                .get()
                .extracting(FleetCondition::reason)
                .isEqualTo("TokenSecretMissing");
        assertThat(harness.deployment(ns, FLEET)).isNull();
        assertThat(harness.client().configMaps().inNamespace(ns).list().getItems())
                .isEmpty();
        assertThat(harness.events(ns, "TokenSecretMissing"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));

        long created = System.nanoTime();
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.awaitFleet(ns, FLEET, condition("TokenSecretFound", "True", "SecretFound"));
        Duration flip = Duration.ofNanos(System.nanoTime() - created);
        assertThat(flip)
                .as("the Secret's watch event triggers a reconciliation")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(harness.deployment(ns, FLEET)).isNotNull();
        harness.awaitFleet(ns, FLEET, condition("Degraded", "False", "AsExpected"));
        assertThat(harness.events(ns, "TokenSecretMissing")).hasSize(1);
        System.out.printf("TokenSecretFound flipped %d ms after the Secret was created%n", flip.toMillis());
    }

    @Test
    void secretWithoutTheKeyNamesTheKeysItHas() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client()
                .resource(Fleets.tokenSecret(ns, Fleets.TOKEN_SECRET, "runner-token"))
                .create();
        harness.create(Fleets.seed(ns));

        RunnerFleet fleet = harness.awaitFleet(ns, FLEET, condition("TokenSecretFound", "False", "KeyNotFound"));
        assertThat(condition(fleet, "TokenSecretFound").orElseThrow().message())
                .contains("has no key token", "its keys: runner-token", "spec.gitlab.tokenSecretRef.key")
                .doesNotContain("glrt-");
        assertThat(harness.deployment(ns, FLEET)).isNull();

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.gitlab.tokenSecretRef.key", "runner-token"));
        harness.awaitFleet(ns, FLEET, condition("TokenSecretFound", "True", "SecretFound"));
        assertThat(harness.deployment(ns, FLEET)).isNotNull();
    }

    @Test
    void requestAboveItsLimitChangesNoDependentAndRecoversWhenFixed() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();
        String deploymentVersion = harness.deployment(ns, FLEET).getMetadata().getResourceVersion();

        RunnerFleet invalid = harness.edit(
                ns,
                FLEET,
                f -> Fleets.with(Fleets.with(f, "spec.managers.replicas", 5), "spec.executor.build.cpuRequest", "4"));
        RunnerFleet fleet = harness.awaitFleet(ns, FLEET, condition("Degraded", "True", "InvalidSpec"));
        assertThat(condition(fleet, "Degraded").orElseThrow().message())
                .contains(
                        "spec.executor.build.cpuRequest: 4 is above spec.executor.build.cpuLimit (2)",
                        "Lower the request or raise the limit");
        assertThat(condition(fleet, "Progressing"))
                .get()
                .extracting(FleetCondition::reason)
                .isEqualTo("Blocked");
        assertThat(fleet.getStatus().observedGeneration())
                .isEqualTo(invalid.getMetadata().getGeneration());
        assertThat(harness.deployment(ns, FLEET).getMetadata().getResourceVersion())
                .as("no dependent is changed")
                .isEqualTo(deploymentVersion);
        assertThat(harness.deployment(ns, FLEET).getSpec().getReplicas()).isEqualTo(3);
        assertThat(harness.events(ns, "InvalidSpec"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertNoHotLoop();

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.executor.build.cpuRequest", "1"));
        harness.awaitFleet(ns, FLEET, condition("Degraded", "False", "AsExpected"));
        assertThat(harness.deployment(ns, FLEET).getSpec().getReplicas()).isEqualTo(5);
        assertThat(harness.events(ns, "InvalidSpec")).hasSize(1);
    }

    @Test
    void missingExecutorNamespaceChangesNothingUntilTheSpecIsFixed() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.with(Fleets.seed(ns), "spec.executor.namespace", "nowhere-" + ns));

        RunnerFleet fleet = harness.awaitFleet(ns, FLEET, condition("Degraded", "True", "InvalidSpec"));
        assertThat(condition(fleet, "Degraded").orElseThrow().message())
                .contains(
                        "spec.executor.namespace: namespace \"nowhere-" + ns + "\" does not exist",
                        "kubectl create namespace nowhere-" + ns);
        assertThat(harness.deployment(ns, FLEET)).isNull();
        assertThat(harness.client()
                        .rbac()
                        .roles()
                        .inAnyNamespace()
                        .withLabel(FleetLabels.FLEET, FLEET)
                        .list()
                        .getItems())
                .noneMatch(r -> r.getMetadata().getNamespace().equals(ns));
        assertThat(harness.events(ns, "InvalidSpec")).hasSize(1);
        assertNoHotLoop();

        String jobs = cluster.createNamespace("jobs");
        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.executor.namespace", jobs));
        harness.awaitFleet(ns, FLEET, condition("Degraded", "False", "AsExpected"));
        assertThat(harness.client()
                        .rbac()
                        .roles()
                        .inNamespace(jobs)
                        .withName(FLEET + "-manager")
                        .get())
                .isNotNull();
    }

    @Test
    void executorNamespaceRbacIsLabelledNotOwnedAndDeletedWithTheFleet() {
        String jobs = cluster.createNamespace("jobs");
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        RunnerFleet fleet = harness.create(Fleets.with(Fleets.seed(ns), "spec.executor.namespace", jobs));
        harness.awaitFleet(ns, FLEET, condition("Degraded", "False", "AsExpected"));

        Role jobRole = harness.client()
                .rbac()
                .roles()
                .inNamespace(jobs)
                .withName(FLEET + "-manager")
                .get();
        RoleBinding jobBinding = harness.client()
                .rbac()
                .roleBindings()
                .inNamespace(jobs)
                .withName(FLEET + "-manager")
                .get();
        // The Job Pods' disruption budget lives with them (DesiredJobDisruptionBudget), cross-namespace as the Role.
        io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget jobBudget = harness.client()
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(jobs)
                .withName(FLEET + "-jobs")
                .get();
        assertThat(jobBudget.getSpec().getMaxUnavailable().getIntVal()).isZero();
        for (HasMetadata crossNamespace : List.of(jobRole, jobBinding, jobBudget)) {
            assertThat(crossNamespace.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(crossNamespace.getMetadata().getLabels()).containsEntry(FleetLabels.FLEET, FLEET);
            assertThat(crossNamespace.getMetadata().getAnnotations())
                    .containsEntry(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, ns);
        }
        // The executor namespace's Role also lets the managers watch its ResourceQuotas (capacityAware: quota).
        assertThat(jobRole.getRules())
                .isEqualTo(java.util.stream.Stream.concat(
                                ManagerPermissions.JOB_RULES.stream(), ManagerPermissions.QUOTA_RULES.stream())
                        .toList());
        assertThat(jobBinding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(FLEET + "-manager");
            assertThat(s.getNamespace()).isEqualTo(ns);
        });
        Role leaseRole = harness.client()
                .rbac()
                .roles()
                .inNamespace(ns)
                .withName(FLEET + "-manager-leases")
                .get();
        // The seed rotates its token: the Lease Role also names the token Secret (ManagerRbacTest).
        assertThat(leaseRole.getRules())
                .containsExactlyElementsOf(Stream.concat(
                                ManagerPermissions.LEASE_RULES.stream(),
                                Stream.of(ManagerPermissions.tokenSecretRule(Fleets.TOKEN_SECRET)))
                        .toList());
        assertThat(harness.client()
                        .rbac()
                        .roles()
                        .inNamespace(ns)
                        .withName(FLEET + "-manager")
                        .get())
                .as("no job Role in the fleet namespace when Job Pods run elsewhere")
                .isNull();

        List<HasMetadata> owned = ownedObjectsIn(ns);
        harness.client().resource(fleet).delete();

        await().atMost(OperatorHarness.TIMEOUT).until(() -> harness.get(ns, FLEET) == null);
        assertThat(harness.client().rbac().roles().inNamespace(jobs).list().getItems())
                .isEmpty();
        assertThat(harness.client()
                        .rbac()
                        .roleBindings()
                        .inNamespace(jobs)
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(harness.client()
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(jobs)
                        .list()
                        .getItems())
                .isEmpty();
        // The mock runs no garbage collector: what Kubernetes would collect must point at the fleet.
        assertThat(owned)
                .hasSize(7)
                .allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(ref -> assertThat(ref.getUid())
                                .isEqualTo(fleet.getMetadata().getUid())));
    }

    /**
     * capacityAware: nodes (docs/capacity.md, RBAC): the managers' ClusterRole and ClusterRoleBinding, cluster-scoped
     * so not owned by the fleet, come with the mode, go when it changes and go with the fleet (the finalizer).
     */
    @Test
    void capacityAwareNodesGetsAClusterRoleThatGoesWithTheModeAndWithTheFleet() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        String name = DesiredRbac.nodeReaderName(ns, FLEET);
        harness.create(Fleets.with(Fleets.seed(ns), "spec.executor.capacityAware", "nodes"));
        await().atMost(OperatorHarness.TIMEOUT).until(() -> nodeReaderExists(name));
        assertThat(harness.client().rbac().clusterRoles().withName(name).get().getRules())
                .isEqualTo(ManagerPermissions.NODE_RULES);
        assertThat(harness.client()
                        .rbac()
                        .clusterRoleBindings()
                        .withName(name)
                        .get()
                        .getSubjects())
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.getName()).isEqualTo(FLEET + "-manager");
                    assertThat(s.getNamespace()).isEqualTo(ns);
                });

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.executor.capacityAware", "quota"));
        await().atMost(OperatorHarness.TIMEOUT).until(() -> nodeReaderGone(name));

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.executor.capacityAware", "nodes"));
        await().atMost(OperatorHarness.TIMEOUT).until(() -> nodeReaderExists(name));

        harness.client().resource(harness.get(ns, FLEET)).delete();
        await().atMost(OperatorHarness.TIMEOUT).until(() -> harness.get(ns, FLEET) == null);
        assertThat(nodeReaderGone(name)).as("deleted with the fleet").isTrue();
    }

    private boolean nodeReaderExists(String name) {
        return harness.client().rbac().clusterRoles().withName(name).get() != null
                && harness.client().rbac().clusterRoleBindings().withName(name).get() != null;
    }

    private boolean nodeReaderGone(String name) {
        return harness.client().rbac().clusterRoles().withName(name).get() == null
                && harness.client().rbac().clusterRoleBindings().withName(name).get() == null;
    }

    @Test
    void movingTheExecutorNamespaceRemovesTheRbacLeftInTheOldOne() {
        String first = cluster.createNamespace("jobs");
        String second = cluster.createNamespace("jobs");
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.with(Fleets.seed(ns), "spec.executor.namespace", first));
        await().atMost(OperatorHarness.TIMEOUT)
                .until(() -> harness.client()
                                .rbac()
                                .roles()
                                .inNamespace(first)
                                .withName(FLEET + "-manager")
                                .get()
                        != null);

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.executor.namespace", second));

        await().atMost(OperatorHarness.TIMEOUT)
                .until(() -> harness.client()
                                        .rbac()
                                        .roles()
                                        .inNamespace(second)
                                        .withName(FLEET + "-manager")
                                        .get()
                                != null
                        && harness.client()
                                .rbac()
                                .roles()
                                .inNamespace(first)
                                .list()
                                .getItems()
                                .isEmpty()
                        && harness.client()
                                .rbac()
                                .roleBindings()
                                .inNamespace(first)
                                .list()
                                .getItems()
                                .isEmpty());
    }

    @Test
    void jobRbacIsInEachNamespaceJobsMayMoveToAndLeavesWithIt() {
        String jobs = cluster.createNamespace("jobs");
        String review = cluster.createNamespace("review");
        String perf = cluster.createNamespace("perf");
        String missing = "nowhere-" + ns;
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        RunnerFleet inJobs = Fleets.with(Fleets.seed(ns), "spec.executor.namespace", jobs);
        harness.create(Fleets.with(
                inJobs,
                "spec.executor.namespaceOverwrite",
                Map.of("allowed", List.of(review, missing, perf), "pattern", "^")));

        await().atMost(OperatorHarness.TIMEOUT)
                .until(() -> List.of(jobs, review, perf).stream()
                        .allMatch(n -> jobRole(n) != null && jobRoleBinding(n) != null));
        for (String namespace : List.of(review, perf)) {
            Role role = jobRole(namespace);
            assertThat(role.getRules()).isEqualTo(ManagerPermissions.JOB_RULES);
            assertThat(role.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(role.getMetadata().getLabels()).containsEntry(FleetLabels.FLEET, FLEET);
            assertThat(role.getMetadata().getAnnotations()).containsEntry(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, ns);
            assertThat(jobRoleBinding(namespace).getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getName()).isEqualTo(FLEET + "-manager");
                assertThat(s.getNamespace()).isEqualTo(ns);
            });
        }
        // A listed namespace that does not exist is named in a Warning; the rest of the fleet runs.
        harness.awaitFleet(ns, FLEET, condition("Degraded", "False", "AsExpected"));
        assertThat(harness.deployment(ns, FLEET)).isNotNull();
        await().atMost(OperatorHarness.TIMEOUT)
                .until(() -> !harness.events(ns, "NamespaceMissing").isEmpty());
        assertThat(harness.events(ns, "NamespaceMissing"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("spec.executor.namespaceOverwrite.allowed", missing, "kubectl create namespace"));

        harness.edit(
                ns, FLEET, f -> Fleets.with(f, "spec.executor.namespaceOverwrite", Map.of("allowed", List.of(review))));

        await().atMost(OperatorHarness.TIMEOUT).until(() -> jobRole(perf) == null && jobRoleBinding(perf) == null);
        assertThat(jobRole(review)).isNotNull();
        assertThat(jobRole(jobs)).isNotNull();

        harness.client().resource(harness.get(ns, FLEET)).delete();
        await().atMost(OperatorHarness.TIMEOUT)
                .until(() ->
                        harness.get(ns, FLEET) == null && jobRole(review) == null && jobRoleBinding(review) == null);
    }

    private Role jobRole(String namespace) {
        return harness.client()
                .rbac()
                .roles()
                .inNamespace(namespace)
                .withName(FLEET + "-manager")
                .get();
    }

    private RoleBinding jobRoleBinding(String namespace) {
        return harness.client()
                .rbac()
                .roleBindings()
                .inNamespace(namespace)
                .withName(FLEET + "-manager")
                .get();
    }

    @Test
    void runningJobsCountsPendingAndRunningJobPodsOfThisFleetOnly() {
        harness = OperatorHarness.start(cluster, ns);
        createSeedFleet();

        createPod("job-1", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.JOB_ID, "1"), "Pending");
        createPod("job-2", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.JOB_ID, "2"), "Running");
        createPod("job-3", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.JOB_ID, "3"), "Succeeded");
        createPod("job-4", Map.of(FleetLabels.FLEET, "other-fleet", FleetLabels.JOB_ID, "4"), "Running");
        createPod("manager-1", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.APP_COMPONENT, "manager"), "Running");

        harness.awaitFleet(ns, FLEET, f -> f.getStatus().runningJobs() == 2);
        harness.client().pods().inNamespace(ns).withName("job-2").delete();
        harness.awaitFleet(ns, FLEET, f -> f.getStatus().runningJobs() == 1);
    }

    /**
     * spec.warmCapacity: the pause pods' ReplicaSet follows the fleet's running jobs (max(idleCount, ceil(jobs x
     * scaleFactor))), with the shared PriorityClass (which the API server accepts: value -1, preemptionPolicy Never),
     * and the status shows them; without spec.warmCapacity the ReplicaSet goes.
     */
    @Test
    void warmCapacityPausePodsFollowTheRunningJobsAndGoWithTheSpec() {
        harness = OperatorHarness.start(cluster, ns);
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.with(
                Fleets.seed(ns),
                "spec.warmCapacity",
                Map.of("policies", List.of(Map.of("idleCount", 1, "scaleFactor", 1.0, "idleTime", "0s")))));
        String warm = FLEET + "-warm";
        await().atMost(OperatorHarness.TIMEOUT)
                .untilAsserted(() -> assertThat(warmReplicas(warm)).isEqualTo(1));
        PriorityClass priority = harness.client()
                .scheduling()
                .v1()
                .priorityClasses()
                .withName(WarmCapacitySpec.DEFAULT_PRIORITY_CLASS)
                .get();
        assertThat(priority.getValue()).isEqualTo(-1);
        assertThat(priority.getPreemptionPolicy()).isEqualTo("Never");
        assertThat(priority.getGlobalDefault()).as("globalDefault").isNotEqualTo(Boolean.TRUE);
        ReplicaSet pods = harness.client()
                .apps()
                .replicaSets()
                .inNamespace(ns)
                .withName(warm)
                .get();
        assertThat(pods.getSpec().getTemplate().getSpec().getPriorityClassName())
                .isEqualTo(WarmCapacitySpec.DEFAULT_PRIORITY_CLASS);
        assertThat(pods.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo(FLEET));

        createPod("job-1", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.JOB_ID, "1"), "Running");
        createPod("job-2", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.JOB_ID, "2"), "Pending");
        createPod("job-3", Map.of(FleetLabels.FLEET, FLEET, FleetLabels.JOB_ID, "3"), "Running");
        await().atMost(OperatorHarness.TIMEOUT)
                .untilAsserted(() -> assertThat(warmReplicas(warm)).isEqualTo(3));
        RunnerFleet fleet = harness.awaitFleet(
                ns,
                FLEET,
                f -> f.getStatus().warmCapacity() != null
                        && f.getStatus().warmCapacity().desired() == 3);
        assertThat(fleet.getStatus().warmCapacity().policy()).isEqualTo("policies[0]");
        assertThat(fleet.getStatus().warmCapacity().problem()).isNull();

        // What the ReplicaSet controller writes when admission refuses its pods; the fleet says why none are ready.
        String refused = "pods \"" + warm + "-x\" is forbidden: no PriorityClass with name batch-low was found";
        harness.client()
                .apps()
                .replicaSets()
                .inNamespace(ns)
                .withName(warm)
                .editStatus(set -> new ReplicaSetBuilder(set)
                        .editOrNewStatus()
                        .withReplicas(0)
                        .addNewCondition()
                        .withType("ReplicaFailure")
                        .withStatus("True")
                        .withReason("FailedCreate")
                        .withMessage(refused)
                        .endCondition()
                        .endStatus()
                        .build());
        harness.awaitFleet(
                ns,
                FLEET,
                f -> f.getStatus().warmCapacity() != null
                        && refused.equals(f.getStatus().warmCapacity().problem()));

        harness.client().pods().inNamespace(ns).withName("job-1").delete();
        harness.client().pods().inNamespace(ns).withName("job-3").delete();
        await().atMost(OperatorHarness.TIMEOUT)
                .untilAsserted(() -> assertThat(warmReplicas(warm)).isEqualTo(1));

        harness.edit(ns, FLEET, f -> Fleets.with(f, "spec.warmCapacity", null));
        await().atMost(OperatorHarness.TIMEOUT)
                .untilAsserted(() -> assertThat(harness.client()
                                .apps()
                                .replicaSets()
                                .inNamespace(ns)
                                .withName(warm)
                                .get())
                        .isNull());
        harness.awaitFleet(ns, FLEET, f -> f.getStatus().warmCapacity() == null);
    }

    private Integer warmReplicas(String name) {
        ReplicaSet set = harness.client()
                .apps()
                .replicaSets()
                .inNamespace(ns)
                .withName(name)
                .get();
        return set == null ? null : set.getSpec().getReplicas();
    }

    @Test
    void resyncOfAnUnchangedFleetWritesNothingAndEmitsNoEvent() throws InterruptedException {
        harness = OperatorHarness.start(
                cluster,
                OperatorConfig.defaults()
                        .withWatchNamespaces(Set.of(ns))
                        .withHealthPort(-1)
                        .withResyncInterval(Duration.ofMillis(200)));
        createSeedFleet();
        cluster.setDeploymentReady(ns, FLEET + "-manager", 3);
        harness.awaitFleet(
                ns,
                FLEET,
                condition("Ready", "True", "ManagersReady").and(condition("Progressing", "False", "RolledOut")));
        Thread.sleep(500); // let the last status write's own echo pass

        int writesBefore = cluster.writes().size();
        long reconciliationsBefore = harness.reconciliations();
        int eventsBefore =
                harness.client().v1().events().inNamespace(ns).list().getItems().size();
        // At least 5 resyncs, however long a loaded machine takes for them (every 200 ms when idle).
        await().atMost(OperatorHarness.TIMEOUT).until(() -> harness.reconciliations() - reconciliationsBefore >= 5);

        long resyncs = harness.reconciliations() - reconciliationsBefore;
        List<String> writes = cluster.writes();
        assertThat(writes.subList(writesBefore, writes.size()))
                .as("writes during %d resyncs", resyncs)
                .isEmpty();
        assertThat(harness.client().v1().events().inNamespace(ns).list().getItems())
                .hasSize(eventsBefore);
        System.out.printf("%d resyncs of an unchanged fleet, 0 writes%n", resyncs);
    }

    @Test
    void fiftyFleetsAcrossFiveNamespacesConverge() {
        List<String> namespaces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            namespaces.add(cluster.createNamespace("many"));
        }
        harness = OperatorHarness.start(cluster, namespaces.toArray(String[]::new));
        long start = System.nanoTime();
        for (String namespace : namespaces) {
            harness.client().resource(Fleets.tokenSecret(namespace)).create();
            for (int i = 0; i < 10; i++) {
                harness.create(Fleets.seed(namespace, "fleet-" + i));
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> converged(namespaces, condition("Degraded", "False", "AsExpected")));
        long created = System.nanoTime();
        for (String namespace : namespaces) {
            for (int i = 0; i < 10; i++) {
                cluster.setDeploymentReady(namespace, "fleet-" + i + "-manager", 3);
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> converged(namespaces, condition("Ready", "True", "ManagersReady")));
        long ready = System.nanoTime();
        System.out.printf(
                "50 fleets in 5 namespaces: all dependents and status in %d ms, Ready %d ms after the "
                        + "Deployments reported ready%n",
                (created - start) / 1_000_000, (ready - created) / 1_000_000);
        for (String namespace : namespaces) {
            assertThat(harness.client()
                            .apps()
                            .deployments()
                            .inNamespace(namespace)
                            .list()
                            .getItems())
                    .hasSize(10);
        }
    }

    private boolean converged(List<String> namespaces, java.util.function.Predicate<RunnerFleet> expectation) {
        return namespaces.stream().allMatch(namespace -> {
            List<RunnerFleet> fleets = harness.client()
                    .resources(RunnerFleet.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems();
            return fleets.size() == 10 && fleets.stream().allMatch(expectation);
        });
    }

    private RunnerFleet createSeedFleet() {
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        harness.create(Fleets.seed(ns));
        await().atMost(OperatorHarness.TIMEOUT).until(() -> harness.deployment(ns, FLEET) != null);
        return harness.awaitFleet(ns, FLEET, observed(1));
    }

    /** The operator must not spin on a fleet it cannot fix: a few reconciliations at most while nothing changes. */
    private void assertNoHotLoop() {
        long before = harness.reconciliations();
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(harness.reconciliations() - before)
                .as("reconciliations in 1.5 s of an invalid fleet")
                .isLessThanOrEqualTo(2);
    }

    private void createPod(String name, Map<String, String> labels, String phase) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("build")
                .withImage("alpine:3.20")
                .endContainer()
                .endSpec()
                .build();
        // An API server sets a new Pod's status itself (phase Pending); the phase is the kubelet's to write, through
        // the status subresource. (The mock kept a status sent with the create; a real server does not.)
        Pod created = harness.client().resource(pod).create();
        created.setStatus(new PodStatusBuilder().withPhase(phase).build());
        harness.client().resource(created).updateStatus();
    }

    private List<HasMetadata> ownedObjectsIn(String namespace) {
        List<HasMetadata> owned = new ArrayList<>();
        owned.addAll(harness.client()
                .configMaps()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        owned.addAll(harness.client()
                .serviceAccounts()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        owned.addAll(harness.client()
                .rbac()
                .roles()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        owned.addAll(harness.client()
                .rbac()
                .roleBindings()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        owned.addAll(harness.client()
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        owned.addAll(harness.client()
                .services()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        owned.addAll(harness.client()
                .resources(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class)
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, FLEET)
                .list()
                .getItems());
        return owned;
    }
}
