package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits core/v1 Events about a fleet, so {@code kubectl describe rf} says what changed and what is wrong. An Event
 * that cannot be written is logged and dropped: it must never fail a reconciliation.
 */
public final class FleetEventRecorder {
    public static final String COMPONENT = "runner-fleet-operator";
    private static final Logger LOG = LoggerFactory.getLogger(FleetEventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;

    public FleetEventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void record(RunnerFleet fleet, FleetEventReason reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = fleet.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                // kubectl's naming: <object>.<unique suffix>
                .withName(fleet.getMetadata().getName() + "." + uniqueSuffix())
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(RunnerFleet.API_VERSION)
                        .withKind(RunnerFleet.KIND)
                        .withName(fleet.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(fleet.getMetadata().getUid())
                        .withResourceVersion(fleet.getMetadata().getResourceVersion())
                        .build())
                .withType(reason.type().value())
                .withReason(reason.reason())
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
            LOG.info("event type={} reason={} message=\"{}\"", reason.type().value(), reason.reason(), message);
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event reason={}: {}", reason.reason(), e.getMessage());
        }
    }

    private static String uniqueSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
