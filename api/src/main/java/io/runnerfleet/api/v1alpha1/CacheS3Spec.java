package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * {@code [runners.cache.s3]}. The access and secret key are never in the fleet or in {@code config.toml}: managers
 * read them from {@link #credentialsSecret}, sign short-lived URLs for each job's archives, and Job Pods get only
 * those URLs.
 */
public record CacheS3Spec(
        @JsonPropertyDescription("`ServerAddress`: `host` or `host:port` of the S3-compatible server; empty for "
                + "AWS (`s3.amazonaws.com`).")
        String serverAddress,

        @Required @Size(min = 1, max = 63) @JsonPropertyDescription("`BucketName`.")
        String bucketName,

        @JsonPropertyDescription("`BucketLocation`: the region; `us-east-1` when empty.")
        String bucketLocation,

        @JsonPropertyDescription("`Insecure`: plain HTTP instead of HTTPS.")
        Boolean insecure,

        @JsonPropertyDescription("`PathStyle`: `http://server/bucket/key` instead of `http://bucket.server/key`. "
                + "When unset, path style for every server but AWS, as gitlab-runner.")
        Boolean pathStyle,

        @Required
        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @Size(max = 253)
        @JsonPropertyDescription("Secret in the fleet's namespace with keys `accesskey` and `secretkey` (as "
                + "gitlab-runner's Helm chart's cache Secret). Managers read it; Job Pods never see it.")
        String credentialsSecret) {

    public static final String ACCESS_KEY = "accesskey";
    public static final String SECRET_KEY = "secretkey";

    public CacheS3Spec {
        serverAddress = serverAddress == null ? "" : serverAddress;
        bucketLocation = bucketLocation == null ? "" : bucketLocation;
        insecure = insecure != null && insecure;
    }
}
