package io.runnerfleet.config;

/**
 * How a manager gets the shared cache's keys: gitlab-runner's own environment variables for them
 * ({@code cache/cacheconfig/cacheconfig.go}, {@code env:"CACHE_S3_ACCESS_KEY"}), which the manager Deployment fills
 * from the fleet's cache Secret. They never appear in {@code config.toml}.
 */
public final class CacheCredentialsEnv {
    public static final String S3_ACCESS_KEY = "CACHE_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "CACHE_S3_SECRET_KEY";

    private CacheCredentialsEnv() {}

    /** The S3 keys as the manager's environment holds them, read once at start; null where a variable is unset. */
    public record S3Keys(String accessKey, String secretKey) {
        public static final S3Keys NONE = new S3Keys(null, null);

        public static S3Keys from(java.util.Map<String, String> environment) {
            return new S3Keys(blankToNull(environment.get(S3_ACCESS_KEY)), blankToNull(environment.get(S3_SECRET_KEY)));
        }

        private static String blankToNull(String value) {
            return value == null || value.isEmpty() ? null : value;
        }

        @Override
        public String toString() {
            return "S3Keys[accessKey=" + (accessKey == null ? "unset" : "set") + ", secretKey="
                    + (secretKey == null ? "unset" : "set") + "]";
        }
    }
}
