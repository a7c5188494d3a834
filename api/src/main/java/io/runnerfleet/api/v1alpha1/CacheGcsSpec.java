package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code [runners.cache.gcs]}: kept so an imported fleet says what it had; not supported yet. */
public record CacheGcsSpec(
        @JsonPropertyDescription("`BucketName`.") String bucketName,

        @JsonPropertyDescription("Secret in the fleet's namespace with the service account's credentials.")
        String credentialsSecret) {}
