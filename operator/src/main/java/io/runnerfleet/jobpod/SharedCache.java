package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.CacheType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's shared cache ({@code [runners.cache]}, type s3) and what signs its URLs, at one instant. A Job Pod
 * gets presigned URLs for its own archives only, as gitlab-runner's helper gets them ({@code shells/abstract.go}
 * {@code getCacheDownloadURLAndEnv}, {@code cache/s3/adapter.go}); the keys stay with the manager.
 *
 * @param signedAt when the URLs are signed: the moment the manager builds the pod (fixed in golden tests)
 */
public record SharedCache(CacheSpec spec, S3Presigner presigner, Instant signedAt) {
    /** {@code render} signs with these: the URLs are redacted with the rest of the Secret, so they never work. */
    public static final String RENDER_ACCESS_KEY = "RENDERED-WITHOUT-CREDENTIALS";

    /** The shared cache of a fleet's spec, or null when it has none (or one not supported, refused elsewhere). */
    public static SharedCache of(CacheSpec spec, String accessKey, String secretKey, Instant signedAt) {
        if (spec == null || spec.type() != CacheType.S3 || spec.s3() == null) {
            return null;
        }
        return new SharedCache(
                spec,
                new S3Presigner(
                        nullToEmpty(accessKey),
                        nullToEmpty(secretKey),
                        spec.s3().bucketLocation()),
                signedAt);
    }

    public SharedCache at(Instant instant) {
        return new SharedCache(spec, presigner, instant);
    }

    /**
     * gitlab-runner's object name ({@code cache/cache.go}, {@code GetAdapter}):
     * {@code <Path>/runner/<short token>/project/<id>/<key>}, without the runner part when {@code Shared}.
     */
    String objectName(String shortToken, long projectId, String key) {
        List<String> parts = new ArrayList<>();
        parts.add(spec.path());
        if (!spec.shared()) {
            parts.add("runner/" + shortToken);
        }
        parts.add("project/" + projectId);
        parts.add(key);
        return CacheKeys.clean("/" + String.join("/", parts)).substring(1);
    }

    String url(String method, String objectName, long expiresSeconds) {
        CacheS3Spec s3 = spec.s3();
        String scheme = s3.insecure() ? "http" : "https";
        String server = endpointHost(s3, scheme);
        boolean pathStyle = s3.pathStyle() != null ? s3.pathStyle() : !server.endsWith("amazonaws.com");
        String host = pathStyle ? server : s3.bucketName() + "." + server;
        String path = pathStyle ? "/" + s3.bucketName() + "/" + objectName : "/" + objectName;
        return presigner.presign(method, scheme, host, path, signedAt, expiresSeconds);
    }

    /** {@code ServerAddress} without the scheme's default port, as {@code GetEndpoint}; AWS when empty. */
    private static String endpointHost(CacheS3Spec s3, String scheme) {
        String address = s3.serverAddress();
        if (address.isEmpty()) {
            String region = s3.bucketLocation();
            return region.isEmpty() || region.equals("us-east-1")
                    ? "s3.amazonaws.com"
                    : "s3." + region + ".amazonaws.com";
        }
        if ((scheme.equals("https") && address.endsWith(":443"))
                || (scheme.equals("http") && address.endsWith(":80"))) {
            return address.substring(0, address.lastIndexOf(':'));
        }
        return address;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
