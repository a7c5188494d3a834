package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class AdoptionAndLeaseTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private Pod jobPod(String manager) {
        return client.pods()
                .inNamespace("ci")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("fleet-job-7")
                        .withNamespace("ci")
                        .withLabels(Map.of(FleetLabels.FLEET, "fleet", FleetLabels.JOB_ID, "7"))
                        .withAnnotations(Map.of(FleetLabels.MANAGER, manager))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("build")
                        .withImage("alpine")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    @Test
    void twoManagersRacingToAdoptTheSamePodExactlyOneWins() throws Exception {
        Pod seen = jobPod("manager-dead");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Optional<Pod>>> attempts = new ArrayList<>();
        for (String manager : List.of("manager-a", "manager-b")) {
            Callable<Optional<Pod>> adopt = () -> PodAdoption.tryAdopt(client, seen, manager);
            attempts.add(pool.submit(adopt));
        }
        List<String> winners = new ArrayList<>();
        for (Future<Optional<Pod>> attempt : attempts) {
            attempt.get().ifPresent(pod -> winners.add(PodAdoption.managerOf(pod)));
        }
        pool.shutdown();

        assertThat(winners).hasSize(1);
        Pod stored = client.pods().inNamespace("ci").withName("fleet-job-7").get();
        assertThat(PodAdoption.managerOf(stored)).isEqualTo(winners.get(0));
    }

    @Test
    void adoptingWithAStaleViewLoses() {
        Pod seen = jobPod("manager-dead");
        assertThat(PodAdoption.tryAdopt(client, seen, "manager-a")).isPresent();
        assertThat(PodAdoption.tryAdopt(client, seen, "manager-b")).isEmpty();
    }

    @Test
    void leaseIsLiveUntilItsDurationPassesAfterTheLastRenewal() {
        Instant renewed = Instant.parse("2026-11-30T10:00:00Z");
        Lease lease = new LeaseBuilder()
                .withNewSpec()
                .withHolderIdentity("m")
                .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
                .withLeaseDurationSeconds(15)
                .endSpec()
                .build();
        assertThat(LeaseExpiry.isLive(lease, renewed.plusSeconds(14))).isTrue();
        assertThat(LeaseExpiry.isLive(lease, renewed.plusSeconds(15))).isFalse();
        assertThat(LeaseExpiry.isLive(new LeaseBuilder().withNewSpec().endSpec().build(), renewed))
                .isFalse();
    }

    @Test
    void managersSeeEachOthersLeasesAndAReleasedLeaseIsGoneAtOnce() {
        Clock clock = Clock.systemUTC();
        ManagerLease a = new ManagerLease(client, "ci", "fleet", "manager-a", Duration.ofSeconds(15), clock);
        ManagerLease b = new ManagerLease(client, "ci", "fleet", "manager-b", Duration.ofSeconds(15), clock);
        ManagerLease otherFleet = new ManagerLease(client, "ci", "other", "manager-x", Duration.ofSeconds(15), clock);
        assertThat(a.renew()).isTrue();
        assertThat(b.renew()).isTrue();
        assertThat(b.renew()).as("renewing an existing lease").isTrue();
        assertThat(otherFleet.renew()).isTrue();
        assertThat(a.liveManagers()).containsExactlyInAnyOrder("manager-a", "manager-b");

        b.release();
        assertThat(a.liveManagers()).containsExactly("manager-a");
    }

    @Test
    void aManagersLeasesAreOwnedByItsPodSoTheyGoWithItAndAnOlderLeaseGetsItsOwnerAtTheNextRenewal() {
        Clock clock = Clock.systemUTC();
        ManagerIdentity inPod = ManagerIdentity.fromEnvironment(
                Map.of("POD_NAME", "manager-a", "POD_NAMESPACE", "ci", "POD_UID", "uid-a"), "default");
        assertThat(inPod.ownerReferencesIn("elsewhere"))
                .as("owners share the namespace")
                .isEmpty();
        assertThat(ManagerIdentity.fromEnvironment(Map.of("POD_NAME", "manager-a"), "ci")
                        .ownerReferencesIn("ci"))
                .as("no uid outside a pod")
                .isEmpty();

        // A Lease written by an older manager, without an owner.
        new ManagerLease(client, "ci", "fleet", "manager-a", Duration.ofSeconds(15), clock).renew();
        assertThat(lease(ManagerLease.leaseName("manager-a")).getMetadata().getOwnerReferences())
                .isEmpty();
        ManagerLease owned = new ManagerLease(
                client,
                "ci",
                "fleet",
                "manager-a",
                Duration.ofSeconds(15),
                clock,
                Map::of,
                inPod.ownerReferencesIn("ci"));
        assertThat(owned.renew()).isTrue();
        assertThat(lease(ManagerLease.leaseName("manager-a")).getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> {
                    assertThat(owner.getKind()).isEqualTo("Pod");
                    assertThat(owner.getName()).isEqualTo("manager-a");
                    assertThat(owner.getUid()).isEqualTo("uid-a");
                });

        TokenRotationLease rotation = new TokenRotationLease(
                client, "ci", "fleet", "manager-a", Duration.ofSeconds(15), clock, inPod.ownerReferencesIn("ci"));
        assertThat(rotation.hold()).isTrue();
        assertThat(lease(TokenRotationLease.leaseName("fleet")).getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("uid-a"));
    }

    private Lease lease(String name) {
        return client.leases().inNamespace("ci").withName(name).get();
    }
}
