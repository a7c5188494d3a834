package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The shared cache ({@code [runners.cache]}): where jobs' {@code cache:} archives live between Job Pods. */
public record CacheSpec(
        @Required
        @JsonPropertyDescription("`Type`: `s3` (any S3-compatible server). `gcs` and `azure` are accepted, "
                + "e.g. from `import`, but not supported yet: the fleet is refused until changed.")
        CacheType type,

        @JsonPropertyDescription("`Path`: a prefix for every object name, e.g. `ci/cache`.")
        String path,

        @JsonPropertyDescription("`Shared`: one cache for every runner of the GitLab instance; else the object "
                + "names start with `runner/<short token>/`.")
        Boolean shared,

        @Min(0)
        @JsonPropertyDescription(
                "`MaxUploadedArchiveSize`: the largest archive, in bytes, the helper uploads; " + "0 means no limit.")
        Long maxUploadedArchiveSize,

        @JsonPropertyDescription("`[runners.cache.s3]`, for `type: s3`.")
        CacheS3Spec s3,

        @JsonPropertyDescription("`[runners.cache.gcs]`, kept for `type: gcs` (not supported yet).")
        CacheGcsSpec gcs,

        @JsonPropertyDescription("`[runners.cache.azure]`, kept for `type: azure` (not supported yet).")
        CacheAzureSpec azure) {

    public CacheSpec {
        path = path == null ? "" : path;
        shared = shared != null && shared;
        maxUploadedArchiveSize = maxUploadedArchiveSize == null ? 0L : maxUploadedArchiveSize;
    }
}
