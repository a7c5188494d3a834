package io.runnerfleet.jobpod;

import java.util.List;

/**
 * The job's caches as the {@code prepare} and {@code helper} scripts need them.
 *
 * @param timeoutMinutes         {@code --timeout} of the helper's cache commands ({@code CACHE_REQUEST_TIMEOUT})
 * @param maxUploadedArchiveSize {@code [runners.cache] MaxUploadedArchiveSize} in bytes; 0 for no limit
 */
record CachePlan(List<CacheEntry> entries, int timeoutMinutes, long maxUploadedArchiveSize) {
    CachePlan {
        entries = List.copyOf(entries);
    }

    void writeRestore(ScriptText s) {
        CacheScripts.restore(s, entries, timeoutMinutes);
    }

    void writeArchive(ScriptText s) {
        CacheScripts.archive(s, entries, timeoutMinutes, maxUploadedArchiveSize);
    }
}
