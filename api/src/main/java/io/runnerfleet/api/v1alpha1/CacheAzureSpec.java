package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code [runners.cache.azure]}: kept so an imported fleet says what it had; not supported yet. */
public record CacheAzureSpec(
        @JsonPropertyDescription("`AccountName`.") String accountName,
        @JsonPropertyDescription("`ContainerName`.") String containerName,
        @JsonPropertyDescription("`StorageDomain`.") String storageDomain,

        @JsonPropertyDescription("Secret in the fleet's namespace with the account key.")
        String credentialsSecret) {}
