package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.CacheType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Object names and endpoints as gitlab-runner's cache/cache.go and cacheconfig's GetEndpoint make them. */
class SharedCacheTest {
    static SharedCache cache(String path, boolean shared, String server, boolean insecure, Boolean pathStyle) {
        return SharedCache.of(
                new CacheSpec(
                        CacheType.S3,
                        path,
                        shared,
                        0L,
                        new CacheS3Spec(server, "bucket", "", insecure, pathStyle, "keys"),
                        null,
                        null),
                "AK",
                "SK",
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void perRunnerUnlessShared() {
        assertThat(cache("", false, "", false, null).objectName("abcdefghi", 42, "deps/main"))
                .isEqualTo("runner/abcdefghi/project/42/deps/main");
        assertThat(cache("ci/cache/", true, "", false, null).objectName("abcdefghi", 42, "k"))
                .isEqualTo("ci/cache/project/42/k");
    }

    @Test
    void awsIsVirtualHostedOtherServersPathStyleAndDefaultPortsDropped() {
        assertThat(cache("", true, "", false, null).url("GET", "project/1/k", 60))
                .startsWith("https://bucket.s3.amazonaws.com/project/1/k?");
        assertThat(cache("", true, "minio:9000", true, null).url("GET", "project/1/k", 60))
                .startsWith("http://minio:9000/bucket/project/1/k?");
        assertThat(cache("", true, "minio:80", true, null).url("GET", "project/1/k", 60))
                .startsWith("http://minio/bucket/project/1/k?");
        assertThat(cache("", true, "minio:9000", true, false).url("PUT", "project/1/k", 60))
                .startsWith("http://bucket.minio:9000/project/1/k?");
    }

    @Test
    void noSharedCacheForOtherTypesOrNone() {
        assertThat(SharedCache.of(null, "a", "b", Instant.EPOCH)).isNull();
        assertThat(SharedCache.of(
                        new CacheSpec(CacheType.GCS, null, null, null, null, null, null), "a", "b", Instant.EPOCH))
                .isNull();
    }
}
