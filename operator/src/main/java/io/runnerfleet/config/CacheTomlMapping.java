package io.runnerfleet.config;

import io.runnerfleet.api.v1alpha1.CacheAzureSpec;
import io.runnerfleet.api.v1alpha1.CacheGcsSpec;
import io.runnerfleet.api.v1alpha1.CacheS3Spec;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.CacheType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code [runners.cache]} in gitlab-runner's key names ({@code cache/cacheconfig/cacheconfig.go}: {@code Type},
 * {@code Path}, {@code Shared}, {@code MaxUploadedArchiveSize}, {@code [runners.cache.s3]} ...). Credentials are
 * never written or read here: the name of the Secret holding them lives in {@code [runners.runner_fleet]}
 * ({@link #CREDENTIALS_SECRET_KEY}), and managers get the keys as gitlab-runner's {@code CACHE_S3_ACCESS_KEY} and
 * {@code CACHE_S3_SECRET_KEY} from that Secret.
 */
final class CacheTomlMapping {
    /** In {@code [runners.runner_fleet]}: the Secret a fleet's cache credentials come from. */
    static final String CREDENTIALS_SECRET_KEY = "cache_credentials_secret";

    /** gitlab-runner keys holding credentials: never copied into a fleet. */
    static final Set<String> CREDENTIAL_KEYS =
            Set.of("AccessKey", "SecretKey", "SessionToken", "CredentialsFile", "AccessID", "PrivateKey", "AccountKey");

    private static final Set<String> CACHE_KEYS =
            Set.of("Type", "Path", "Shared", "MaxUploadedArchiveSize", "s3", "gcs", "azure");
    private static final Set<String> S3_KEYS =
            Set.of("ServerAddress", "BucketName", "BucketLocation", "Insecure", "PathStyle");
    private static final Set<String> GCS_KEYS = Set.of("BucketName");
    private static final Set<String> AZURE_KEYS = Set.of("AccountName", "ContainerName", "StorageDomain");

    private CacheTomlMapping() {}

    static Map<String, Object> toToml(CacheSpec cache) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("Type", cache.type().value());
        putIf(table, "Path", cache.path());
        if (cache.shared()) {
            table.put("Shared", true);
        }
        if (cache.maxUploadedArchiveSize() > 0) {
            table.put("MaxUploadedArchiveSize", cache.maxUploadedArchiveSize());
        }
        if (cache.s3() != null) {
            Map<String, Object> s3 = new LinkedHashMap<>();
            putIf(s3, "ServerAddress", cache.s3().serverAddress());
            putIf(s3, "BucketName", cache.s3().bucketName());
            putIf(s3, "BucketLocation", cache.s3().bucketLocation());
            if (cache.s3().insecure()) {
                s3.put("Insecure", true);
            }
            if (cache.s3().pathStyle() != null) {
                s3.put("PathStyle", cache.s3().pathStyle());
            }
            table.put("s3", s3);
        }
        if (cache.gcs() != null) {
            Map<String, Object> gcs = new LinkedHashMap<>();
            putIf(gcs, "BucketName", cache.gcs().bucketName());
            table.put("gcs", gcs);
        }
        if (cache.azure() != null) {
            Map<String, Object> azure = new LinkedHashMap<>();
            putIf(azure, "AccountName", cache.azure().accountName());
            putIf(azure, "ContainerName", cache.azure().containerName());
            putIf(azure, "StorageDomain", cache.azure().storageDomain());
            table.put("azure", azure);
        }
        return table;
    }

    /** The Secret whose name goes into {@code [runners.runner_fleet]}, or null. */
    static String credentialsSecret(CacheSpec cache) {
        if (cache == null) {
            return null;
        }
        return switch (cache.type()) {
            case S3 -> cache.s3() == null ? null : cache.s3().credentialsSecret();
            case GCS -> cache.gcs() == null ? null : cache.gcs().credentialsSecret();
            case AZURE -> cache.azure() == null ? null : cache.azure().credentialsSecret();
        };
    }

    /**
     * The table, or null when it has no {@code Type} (no shared cache, as in gitlab-runner).
     *
     * @param secret {@code cache_credentials_secret} of {@code [runners.runner_fleet]}, or null
     * @param ignored collects keys present but not used, as {@code <path>.cache.<key>}
     */
    static CacheSpec fromToml(Map<String, Object> table, String secret, String path, List<String> ignored) {
        unknown(table, CACHE_KEYS, path, ignored);
        String type = string(table, "Type");
        if (type == null || type.isEmpty()) {
            // What gitlab-runner register writes ([runners.cache] with MaxUploadedArchiveSize = 0): no adapter,
            // so the local cache only (cache/adapter.go finds no factory for "").
            return null;
        }
        Map<String, Object> s3 = table(table, "s3");
        Map<String, Object> gcs = table(table, "gcs");
        Map<String, Object> azure = table(table, "azure");
        unknown(s3, S3_KEYS, path + ".s3", ignored);
        unknown(gcs, GCS_KEYS, path + ".gcs", ignored);
        unknown(azure, AZURE_KEYS, path + ".azure", ignored);
        CacheType cacheType = CacheType.fromValue(type);
        return new CacheSpec(
                cacheType,
                string(table, "Path"),
                bool(table, "Shared"),
                table.get("MaxUploadedArchiveSize") instanceof Long size ? size : null,
                s3.isEmpty() && cacheType != CacheType.S3
                        ? null
                        : new CacheS3Spec(
                                string(s3, "ServerAddress"),
                                string(s3, "BucketName"),
                                string(s3, "BucketLocation"),
                                bool(s3, "Insecure"),
                                bool(s3, "PathStyle"),
                                cacheType == CacheType.S3 ? secret : null),
                gcs.isEmpty() && cacheType != CacheType.GCS
                        ? null
                        : new CacheGcsSpec(string(gcs, "BucketName"), cacheType == CacheType.GCS ? secret : null),
                azure.isEmpty() && cacheType != CacheType.AZURE
                        ? null
                        : new CacheAzureSpec(
                                string(azure, "AccountName"),
                                string(azure, "ContainerName"),
                                string(azure, "StorageDomain"),
                                cacheType == CacheType.AZURE ? secret : null));
    }

    private static void unknown(Map<String, Object> table, Set<String> known, String path, List<String> ignored) {
        table.keySet().stream()
                .filter(k -> !known.contains(k))
                .map(k -> path + "." + k)
                .forEach(ignored::add);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> table(Map<String, Object> table, String key) {
        Object value = table.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("cache." + key + ": expected a table [runners.cache." + key + "]");
    }

    private static String string(Map<String, Object> table, String key) {
        Object value = table.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Boolean bool(Map<String, Object> table, String key) {
        Object value = table.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("cache " + key + ": expected true or false, got \"" + value + "\"");
    }

    private static void putIf(Map<String, Object> table, String key, String value) {
        if (value != null && !value.isEmpty()) {
            table.put(key, value);
        }
    }
}
