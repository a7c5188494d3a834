package io.runnerfleet.jobpod;

import java.util.List;
import java.util.Optional;

/**
 * One {@code cache:} entry of a job, resolved as gitlab-runner's {@code shells/abstract.go} resolves it before it
 * writes the restore ({@code cacheExtractor}) and save ({@code archiveCache}) steps.
 *
 * @param restore       what {@code prepare} tries, in order: the key, then each fallback key; empty when the key
 *                      sanitises to nothing
 * @param upload        where {@code helper} saves; empty when the key sanitises to nothing
 * @param archiverArgs  {@code --path} per path and {@code --untracked}; never empty (entries without are dropped)
 * @param warnings      gitlab-runner's warnings for this entry (a sanitised key, a refused fallback key)
 */
record CacheEntry(
        List<Archive> restore,
        Optional<Archive> upload,
        List<String> archiverArgs,
        boolean pull,
        boolean push,
        When when,
        List<String> warnings) {

    /**
     * One key's archive.
     *
     * @param key    the sanitised key, as the log shows it
     * @param file   the archive in the Job Pod's cache directory
     * @param urlEnv the environment variable holding the presigned URL (from the job's Secret), or empty for the
     *               local cache only
     */
    record Archive(String key, String file, Optional<String> urlEnv) {}

    /** {@code cache:when}. gitlab-runner's {@code CacheWhen}: an unknown value caches never. */
    enum When {
        ON_SUCCESS,
        ON_FAILURE,
        ALWAYS,
        NEVER;

        static When of(String value) {
            if (value == null || value.isEmpty()) {
                return ON_SUCCESS;
            }
            return switch (value) {
                case "on_success" -> ON_SUCCESS;
                case "on_failure" -> ON_FAILURE;
                case "always" -> ALWAYS;
                default -> NEVER;
            };
        }
    }

    CacheEntry {
        restore = List.copyOf(restore);
        archiverArgs = List.copyOf(archiverArgs);
        warnings = List.copyOf(warnings);
    }
}
