package io.runnerfleet.jobpod;

/** Where a cache key's archive lives: {@code /cache/<project>/<key>/cache.zip}, as gitlab-runner's local cache. */
final class CacheFiles {
    private CacheFiles() {}

    static String archive(String projectDir, String key) {
        String project = projectDir.substring(JobPaths.BUILDS_DIR.length() + 1);
        return JobPaths.CACHE_DIR + "/" + project + "/" + safeKey(key) + "/cache.zip";
    }

    /** A key as one path segment: no {@code /}, no {@code ..}, nothing a file system treats specially. */
    static String safeKey(String key) {
        String safe = (key == null || key.isBlank() ? "default" : key).replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.replaceAll("^\\.+", "_");
    }
}
