package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This manager's Lease in the fleet namespace. Renewing it says "my Job Pods are looked after"; when it expires
 * (or is released on SIGTERM), a live peer adopts them. Named after the manager pod, labelled with the fleet.
 */
public final class ManagerLease {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerLease.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String fleet;
    private final String holder;
    private final Duration duration;
    private final Clock clock;
    private final Supplier<Map<String, String>> report;
    private final List<OwnerReference> owners;
    /**
     * Judges the peers' Leases only over time this manager saw the API server ({@link LeaseWitness}); half a Lease
     * duration between two looks (renewals come every third of it) counts as having been cut off.
     */
    private final LeaseWitness witness;

    private volatile boolean paused;

    public ManagerLease(
            KubernetesClient client, String namespace, String fleet, String holder, Duration duration, Clock clock) {
        this(client, namespace, fleet, holder, duration, clock, Map::of);
    }

    /** {@code report}: annotations written with every renewal ({@link GitLabContact#report}), for the fleet status. */
    public ManagerLease(
            KubernetesClient client,
            String namespace,
            String fleet,
            String holder,
            Duration duration,
            Clock clock,
            Supplier<Map<String, String>> report) {
        this(client, namespace, fleet, holder, duration, clock, report, List.of());
    }

    /** {@code owners}: the manager's pod ({@link ManagerIdentity#ownerReferencesIn}), so the Lease goes with it. */
    public ManagerLease(
            KubernetesClient client,
            String namespace,
            String fleet,
            String holder,
            Duration duration,
            Clock clock,
            Supplier<Map<String, String>> report,
            List<OwnerReference> owners) {
        this.report = report;
        this.owners = List.copyOf(owners);
        this.client = client;
        this.namespace = namespace;
        this.fleet = fleet;
        this.holder = holder;
        this.duration = duration;
        this.clock = clock;
        this.witness = new LeaseWitness(duration.dividedBy(2));
    }

    public static String leaseName(String holder) {
        return holder + "-runner-lease";
    }

    /** Creates or renews the Lease; false when the API refused (the caller retries at the next tick). */
    public boolean renew() {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        try {
            Lease existing = client.leases()
                    .inNamespace(namespace)
                    .withName(leaseName(holder))
                    .get();
            if (existing == null) {
                // A manager started while the fleet is paused (a roll) waits like its peers until the operator
                // marks its own Lease too.
                paused = peersPaused();
                client.leases()
                        .inNamespace(namespace)
                        .resource(new LeaseBuilder()
                                .withNewMetadata()
                                .withName(leaseName(holder))
                                .withNamespace(namespace)
                                .withOwnerReferences(owners)
                                .withAnnotations(report.get())
                                .withLabels(Map.of(
                                        FleetLabels.FLEET,
                                        fleet,
                                        FleetLabels.APP_COMPONENT,
                                        FleetLabels.COMPONENT_MANAGER))
                                .endMetadata()
                                .withNewSpec()
                                .withHolderIdentity(holder)
                                .withLeaseDurationSeconds((int) duration.toSeconds())
                                .withAcquireTime(now)
                                .withRenewTime(now)
                                .endSpec()
                                .build())
                        .create();
            } else {
                paused = pausedBy(existing);
                existing.getSpec().setRenewTime(now);
                Map<String, String> annotations = existing.getMetadata().getAnnotations() == null
                        ? new java.util.HashMap<>()
                        : new java.util.HashMap<>(existing.getMetadata().getAnnotations());
                // A report drops keys (a back-off that ended): the renewal replaces the whole report.
                annotations.keySet().removeIf(key -> key.startsWith(ManagerReport.KEY_PREFIX));
                annotations.putAll(report.get());
                existing.getMetadata().setAnnotations(annotations);
                existing.getSpec().setLeaseDurationSeconds((int) duration.toSeconds());
                adoptOwners(existing);
                client.leases().inNamespace(namespace).resource(existing).update();
            }
            return true;
        } catch (KubernetesClientException e) {
            LOG.warn("lease={} renew failed status={} reason={}", leaseName(holder), e.getCode(), e.getMessage());
            return false;
        }
    }

    /** A Lease written by a manager of a version that set no owner gets one with its next renewal. */
    private void adoptOwners(Lease existing) {
        List<OwnerReference> current = existing.getMetadata().getOwnerReferences();
        if (!owners.isEmpty() && (current == null || current.isEmpty())) {
            existing.getMetadata().setOwnerReferences(owners);
        }
    }

    /**
     * Whether the operator paused the fleet ({@link ManagerReport#PAUSED} on this Lease), as of the last renewal or
     * {@link #refreshPaused}. Pollers ask for no job while it is true.
     */
    public boolean paused() {
        return paused;
    }

    /** Reads the pause flag again between renewals, so that a resume is seen within one check interval. */
    public void refreshPaused() {
        try {
            Lease existing = client.leases()
                    .inNamespace(namespace)
                    .withName(leaseName(holder))
                    .get();
            if (existing != null) {
                paused = pausedBy(existing);
            }
        } catch (KubernetesClientException e) {
            LOG.warn("lease={} read failed status={}", leaseName(holder), e.getCode());
        }
    }

    private boolean peersPaused() {
        return client.leases().inNamespace(namespace).withLabel(FleetLabels.FLEET, fleet).list().getItems().stream()
                .filter(lease -> LeaseExpiry.isLive(lease, clock.instant()))
                .anyMatch(ManagerLease::pausedBy);
    }

    private static boolean pausedBy(Lease lease) {
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        return annotations != null && Boolean.parseBoolean(annotations.get(ManagerReport.PAUSED));
    }

    /** Deletes the Lease so peers adopt this manager's Job Pods at once instead of after it expires. */
    public void release() {
        try {
            client.leases().inNamespace(namespace).withName(leaseName(holder)).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("lease={} release failed status={}", leaseName(holder), e.getCode());
        }
    }

    /**
     * The managers of this fleet whose Lease is live now, as far as this manager could watch them ({@link
     * LeaseWitness}); everyone else's Job Pods are up for adoption.
     */
    public List<String> liveManagers() {
        List<Lease> leases = client.leases()
                .inNamespace(namespace)
                .withLabel(FleetLabels.FLEET, fleet)
                .list()
                .getItems();
        return witness.liveHolders(leases, clock.instant());
    }
}
