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
}
