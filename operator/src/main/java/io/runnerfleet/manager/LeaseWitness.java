package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which peers' Leases still hold, judged only over time this manager could see them itself. A Lease holds while its
 * renewal is younger than its duration ({@link LeaseExpiry}), and also until a full duration has passed since this
 * manager regained sight of the API server after being cut off from it. An outage of the API server (or of this
 * manager's path to it) stops every manager's renewals alike, so when it ends every peer's renewal looks old; taking
 * their Job Pods then runs their jobs twice, as they still follow them (seen while building {@code faults/run
 * kube-jobs}, whose 30 s outage is twice a Lease). A live peer renews within its next tick; one that does not is dead, and is adopted a Lease
 * duration after sight came back. client-go's leader election has the same rule: a candidate judges the holder's
 * lease by when it itself observed the record ({@code observedTime} in {@code tools/leaderelection/leaderelection.go}),
 * not by the holder's timestamps alone. gitlab-runner has no adoption, so nothing to match there.
 *
 * <p>Cut off means: more than {@code blindAfter} between two looks (a look is a successful list of the Leases, after a
 * successful renewal of its own). The first look of a manager that just started trusts the renewal times, as before:
 * a manager replacing a dead one adopts its pods at once. Not thread-safe: one Adopter task calls it at a time.
 */
final class LeaseWitness {
    private final Duration blindAfter;
    private Instant lastLook;
    private Instant sightRegained;

    LeaseWitness(Duration blindAfter) {
        this.blindAfter = blindAfter;
    }

    /** The holders of {@code leases} (the fleet's, just listed) that hold at {@code now}. */
    synchronized List<String> liveHolders(List<Lease> leases, Instant now) {
        if (lastLook != null && Duration.between(lastLook, now).compareTo(blindAfter) > 0) {
            sightRegained = now;
        }
        lastLook = now;
        return leases.stream()
                .filter(lease -> LeaseExpiry.isLive(lease, now) || withinGrace(lease, now))
                .map(lease -> lease.getSpec().getHolderIdentity())
                .toList();
    }

    /** Whether a Lease duration has not yet passed since this manager regained sight of the API server. */
    private boolean withinGrace(Lease lease, Instant now) {
        Integer seconds = lease.getSpec() == null ? null : lease.getSpec().getLeaseDurationSeconds();
        return sightRegained != null && seconds != null && now.isBefore(sightRegained.plusSeconds(seconds));
    }
}
