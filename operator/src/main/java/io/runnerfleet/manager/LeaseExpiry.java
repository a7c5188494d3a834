package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.List;

/** Whether a manager's Lease still holds: renewed within its duration. Pure. */
public final class LeaseExpiry {
    private LeaseExpiry() {}

    public static boolean isLive(Lease lease, Instant now) {
        if (lease.getSpec() == null
                || lease.getSpec().getRenewTime() == null
                || lease.getSpec().getLeaseDurationSeconds() == null) {
            return false;
        }
        Instant expires = lease.getSpec()
                .getRenewTime()
                .toInstant()
                .plusSeconds(lease.getSpec().getLeaseDurationSeconds());
        return now.isBefore(expires);
    }

    public static List<String> liveHolders(List<Lease> leases, Instant now) {
        return leases.stream()
                .filter(lease -> isLive(lease, now))
                .map(lease -> lease.getSpec().getHolderIdentity())
                .toList();
    }
}
