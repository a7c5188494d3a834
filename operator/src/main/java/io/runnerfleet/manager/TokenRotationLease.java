package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election of the one manager that rotates the fleet's token: the Lease {@code <fleet>-token-rotation} in the
 * fleet namespace, taken with a create or an update carrying the resourceVersion, so two managers racing for it
 * cannot both win (the API server answers the loser 409). Held only while rotating is due, and taken over once its
 * holder stopped renewing it for its duration (a dead manager). It carries no fleet label: it is not a manager's
 * Lease, and neither adoption nor the fleet's status may count it as one.
 */
public final class TokenRotationLease {
    static final String COMPONENT = "token-rotation";
    /** How long the Lease holds without renewal while a reset's token is not yet in the Secret. */
    static final Duration THROUGH_RESET = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(TokenRotationLease.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String holder;
    private final Duration duration;
    private final Clock clock;
    private final List<OwnerReference> owners;

    public TokenRotationLease(
            KubernetesClient client, String namespace, String fleet, String holder, Duration duration, Clock clock) {
        this(client, namespace, fleet, holder, duration, clock, List.of());
    }

    /**
     * {@code owners}: the holder's pod ({@link ManagerIdentity#ownerReferencesIn}). The Lease goes with its holder's
     * pod, so it does not outlive the fleet; a peer that finds it gone takes it at once, which is what an expired
     * Lease would allow anyway.
     */
    public TokenRotationLease(
            KubernetesClient client,
            String namespace,
            String fleet,
            String holder,
            Duration duration,
            Clock clock,
            List<OwnerReference> owners) {
        this.owners = List.copyOf(owners);
        this.client = client;
        this.namespace = namespace;
        this.name = leaseName(fleet);
        this.holder = holder;
        this.duration = duration;
        this.clock = clock;
    }

    public static String leaseName(String fleet) {
        return fleet + "-token-rotation";
    }

    /** Takes or renews the Lease; true when this manager holds it now, false when a live peer does or the API refused. */
    public boolean hold() {
        return hold(duration);
    }

    /**
     * {@link #hold} for {@link #THROUGH_RESET}: taken before the reset and renewed until the new token is in the
     * Secret. A Secret write that hangs in the client's retries must not let a peer take over and reset again with
     * the token GitLab just invalidated; if this manager dies in that window, its token is lost and the peer that
     * takes over later is refused by GitLab, which is reported.
     */
    public boolean holdThroughReset() {
        return hold(THROUGH_RESET);
    }

    private boolean hold(Duration heldFor) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        try {
            Lease existing =
                    client.leases().inNamespace(namespace).withName(name).get();
            if (existing == null) {
                client.leases()
                        .inNamespace(namespace)
                        .resource(new LeaseBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .withOwnerReferences(owners)
                                .withLabels(Map.of(FleetLabels.APP_COMPONENT, COMPONENT))
                                .endMetadata()
                                .withNewSpec()
                                .withHolderIdentity(holder)
                                .withLeaseDurationSeconds((int) Math.max(1, heldFor.toSeconds()))
                                .withAcquireTime(now)
                                .withRenewTime(now)
                                .withLeaseTransitions(0)
                                .endSpec()
                                .build())
                        .create();
                LOG.info("lease={} holder={} acquired", name, holder);
                return true;
            }
            boolean ours = Objects.equals(existing.getSpec().getHolderIdentity(), holder);
            if (!ours && LeaseExpiry.isLive(existing, clock.instant())) {
                return false;
            }
            if (!ours) {
                existing.getSpec().setHolderIdentity(holder);
                existing.getSpec().setAcquireTime(now);
                Integer transitions = existing.getSpec().getLeaseTransitions();
                existing.getSpec().setLeaseTransitions(transitions == null ? 1 : transitions + 1);
                existing.getMetadata().setOwnerReferences(owners);
                LOG.info("lease={} holder={} taken over from an expired holder", name, holder);
            }
            existing.getSpec().setRenewTime(now);
            existing.getSpec().setLeaseDurationSeconds((int) Math.max(1, heldFor.toSeconds()));
            client.leases().inNamespace(namespace).resource(existing).update();
            return true;
        } catch (KubernetesClientException e) {
            // 409: a peer created or renewed it in between; it holds the Lease.
            if (e.getCode() != 409) {
                LOG.warn("lease={} hold failed status={}", name, e.getCode());
            }
            return false;
        }
    }

    /** Lets a peer take over at once (a manager stopping); only when this manager holds it. */
    public void release() {
        try {
            Lease existing =
                    client.leases().inNamespace(namespace).withName(name).get();
            if (existing != null && Objects.equals(existing.getSpec().getHolderIdentity(), holder)) {
                client.leases().inNamespace(namespace).resource(existing).delete();
            }
        } catch (KubernetesClientException e) {
            LOG.warn("lease={} release failed status={}", name, e.getCode());
        }
    }
}
