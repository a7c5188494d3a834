package io.runnerfleet.jobpod;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The presigned URLs of one Job Pod's cache archives, each under the name of the environment variable that carries
 * it from the job's Secret: GETs for {@code prepare}, PUTs for {@code helper}.
 */
final class CacheUrls implements JobCaches.Urls {
    private final SharedCache cache;
    private final String shortToken;
    private final long projectId;
    private final long expiresSeconds;
    private final Map<String, String> downloads = new LinkedHashMap<>();
    private final Map<String, String> uploads = new LinkedHashMap<>();

    CacheUrls(SharedCache cache, String shortToken, long projectId, long expiresSeconds) {
        this.cache = cache;
        this.shortToken = shortToken;
        this.projectId = projectId;
        this.expiresSeconds = expiresSeconds;
    }

    @Override
    public Optional<String> download(String key) {
        String env = "RUNNER_FLEET_CACHE_GET_" + downloads.size();
        downloads.put(env, cache.url("GET", cache.objectName(shortToken, projectId, key), expiresSeconds));
        return Optional.of(env);
    }

    @Override
    public Optional<String> upload(String key) {
        String env = "RUNNER_FLEET_CACHE_PUT_" + uploads.size();
        uploads.put(env, cache.url("PUT", cache.objectName(shortToken, projectId, key), expiresSeconds));
        return Optional.of(env);
    }

    /** Env name to URL, for {@code prepare}. */
    Map<String, String> downloads() {
        return downloads;
    }

    /** Env name to URL, for {@code helper}. */
    Map<String, String> uploads() {
        return uploads;
    }
}
