package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code [runners.cache] Type}, in gitlab-runner's spelling. */
public enum CacheType {
    @JsonProperty("s3")
    S3("s3"),
    /** Accepted so an imported fleet keeps it; {@code render} and the operator refuse it for now. */
    @JsonProperty("gcs")
    GCS("gcs"),
    /** Accepted so an imported fleet keeps it; {@code render} and the operator refuse it for now. */
    @JsonProperty("azure")
    AZURE("azure");

    private final String value;

    CacheType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static CacheType fromValue(String value) {
        for (CacheType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown cache type \"" + value + "\"; expected s3, gcs or azure");
    }
}
