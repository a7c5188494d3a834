package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A peer's Lease is judged only over time this manager could see the API server itself ({@link LeaseWitness}). */
class LeaseWitnessTest {
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    private final LeaseWitness witness = new LeaseWitness(Duration.ofMillis(7_500));

    @Test
    void aPeerThatStoppedRenewingWhileThisManagerSawItExpiresAfterItsDuration() {
        Lease peer = lease("peer", T0);

        for (int s = 0; s < 15; s += 5) {
            assertThat(witness.liveHolders(List.of(peer), T0.plusSeconds(s))).containsExactly("peer");
        }
        assertThat(witness.liveHolders(List.of(peer), T0.plusSeconds(15))).isEmpty();
    }

    /** The outage of faults/run kube-jobs: nobody could renew for 30 s, and the peer renews at its next tick. */
    @Test
    void afterAnOutageOfTheApiServerAPeersOldRenewalHoldsForOneMoreDurationFromWhenSightCameBack() {
        assertThat(witness.liveHolders(List.of(lease("peer", T0)), T0)).containsExactly("peer");

        // This manager's renewals and looks failed for 30 s; its first look after the outage:
        Instant back = T0.plusSeconds(31);
        assertThat(witness.liveHolders(List.of(lease("peer", T0)), back))
                .as("not adopted at once: the peer could not renew either")
                .containsExactly("peer");
        assertThat(witness.liveHolders(List.of(lease("peer", T0)), back.plusSeconds(5)))
                .containsExactly("peer");
        assertThat(witness.liveHolders(List.of(lease("peer", T0)), back.plusSeconds(10)))
                .containsExactly("peer");
        assertThat(witness.liveHolders(List.of(lease("peer", T0)), back.plusSeconds(15)))
                .as("a peer that has not renewed a full duration after sight came back is dead")
                .isEmpty();
    }

    @Test
    void aManagerThatJustStartedTrustsTheRenewalTimesAndAReleasedLeaseIsGone() {
        assertThat(witness.liveHolders(
                        List.of(lease("dead", T0), lease("alive", T0.plusSeconds(20))), T0.plusSeconds(30)))
                .containsExactly("alive");
        assertThat(witness.liveHolders(List.of(), T0.plusSeconds(35))).isEmpty();
    }

    private static Lease lease(String holder, Instant renewed) {
        return new LeaseBuilder()
                .withNewMetadata()
                .withName(holder + "-runner-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
                .withLeaseDurationSeconds(15)
                .endSpec()
                .build();
    }
}
