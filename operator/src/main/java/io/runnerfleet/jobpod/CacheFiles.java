package io.runnerfleet.jobpod;

/**
 * Where a cache key's archive lives: {@code <cache_dir>/<project path>/<key>/cache.zip}, as gitlab-runner's
 * {@code newCacheConfig} ({@code shells/abstract.go}) with its cache dir {@code /cache/<project slug>}
 * ({@code common/build.go}, {@code StartBuild}). The key is sanitised ({@link CacheKeys}), so it stays inside.
 */
final class CacheFiles {
    private CacheFiles() {}

    static String archive(String projectDir, String sanitizedKey) {
        String project = projectDir.substring(JobPaths.BUILDS_DIR.length() + 1);
        return JobPaths.CACHE_DIR + "/" + project + "/" + sanitizedKey + "/cache.zip";
    }
}
