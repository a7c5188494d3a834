package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Against AWS's published example of a presigned URL (S3 API reference, "Authenticating Requests: Using Query Parameters"). */
class S3PresignerTest {
    static final S3Presigner AWS_EXAMPLE =
            new S3Presigner("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");

    @Test
    void awsPublishedGetExample() {
        String url = AWS_EXAMPLE.presign(
                "GET",
                "https",
                "examplebucket.s3.amazonaws.com",
                "/test.txt",
                Instant.parse("2013-05-24T00:00:00Z"),
                86400);
        assertThat(url)
                .isEqualTo("https://examplebucket.s3.amazonaws.com/test.txt"
                        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }

    @Test
    void keysAreEncodedSegmentBySegment() {
        assertThat(S3Presigner.encode("/bucket/runner/abc/project/5/a b+c/ü", false))
                .isEqualTo("/bucket/runner/abc/project/5/a%20b%2Bc/%C3%BC");
    }

    @Test
    void theSecretKeyNeverShowsInToString() {
        assertThat(AWS_EXAMPLE.toString()).doesNotContain("wJalr").doesNotContain("AKIA");
    }

    @Test
    void expiryIsClampedToSigV4sWeek() {
        assertThat(AWS_EXAMPLE.presign("PUT", "http", "127.0.0.1:9000", "/b/k", Instant.EPOCH, 10_000_000))
                .contains("X-Amz-Expires=604800");
    }
}
