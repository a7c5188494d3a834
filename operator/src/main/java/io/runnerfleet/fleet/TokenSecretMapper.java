package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A token Secret changed: which fleets name it? The Secret carries no label of ours (a human creates it), so the
 * fleets in the same namespace are searched for it, e.g. to flip TokenSecretFound as soon as it appears.
 */
final class TokenSecretMapper implements SecondaryToPrimaryMapper<Secret> {
    private final IndexedResourceCache<RunnerFleet> fleets;

    TokenSecretMapper(IndexedResourceCache<RunnerFleet> fleets) {
        this.fleets = fleets;
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Secret secret) {
        String name = secret.getMetadata().getName();
        return fleets.list(
                        secret.getMetadata().getNamespace(),
                        fleet -> fleet.getSpec() != null
                                && name.equals(fleet.getSpec()
                                        .gitlab()
                                        .tokenSecretRef()
                                        .name()))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
