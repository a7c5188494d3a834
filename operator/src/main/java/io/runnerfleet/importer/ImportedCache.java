package io.runnerfleet.importer;

import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code [runners.cache]} on its way into a fleet: credentials are never copied (the fleet names a Secret for them,
 * {@code <fleet>-cache} unless the file already named one), and types runner-fleet cannot serve yet are kept but
 * flagged.
 */
final class ImportedCache {
    private static final Pattern CREDENTIAL = Pattern.compile(
            "^cache\\.(s3|gcs|azure)\\.(AccessKey|SecretKey|SessionToken|CredentialsFile|AccessID|PrivateKey"
                    + "|AccountKey)$");

    private ImportedCache() {}

    static CacheSpec of(CacheSpec cache, String fleetName, String where, List<String> warnings) {
        if (cache == null) {
            return null;
        }
        String secret = fleetName + "-cache";
        return switch (cache.type()) {
            case S3 -> {
                CacheS3Spec s3 = cache.s3();
                if (s3.credentialsSecret() != null) {
                    yield cache;
                }
                warnings.add(where + ": the managers read the S3 access and secret key from Secret " + secret
                        + " (keys " + CacheS3Spec.ACCESS_KEY + " and " + CacheS3Spec.SECRET_KEY + "); create it");
                yield new CacheSpec(
                        cache.type(),
                        cache.path(),
                        cache.shared(),
                        cache.maxUploadedArchiveSize(),
                        new CacheS3Spec(
                                s3.serverAddress(),
                                s3.bucketName(),
                                s3.bucketLocation(),
                                s3.insecure(),
                                s3.pathStyle(),
                                secret),
                        cache.gcs(),
                        cache.azure());
            }
            case GCS, AZURE -> {
                warnings.add(where + ": cache type " + cache.type().value() + " is not supported yet; kept in "
                        + "spec.runner.cache, but render and the operator refuse the fleet until it is s3 or removed");
                yield cache;
            }
        };
    }

    static boolean isCredential(String runnerKey) {
        return CREDENTIAL.matcher(runnerKey).matches();
    }

    static String credentialsAdvice(RunnerFleet fleet) {
        CacheSpec cache = fleet.getSpec().runner().cache();
        String secret = cache == null
                ? null
                : switch (cache.type()) {
                    case S3 -> cache.s3().credentialsSecret();
                    case GCS -> cache.gcs() == null ? null : cache.gcs().credentialsSecret();
                    case AZURE -> cache.azure() == null ? null : cache.azure().credentialsSecret();
                };
        if (secret == null) {
            return "put the cache credentials into a Secret and name it in spec.runner.cache";
        }
        return "put the cache credentials into Secret " + fleet.getMetadata().getNamespace() + "/" + secret + " (keys "
                + CacheS3Spec.ACCESS_KEY + " and " + CacheS3Spec.SECRET_KEY + " for s3)";
    }
}
