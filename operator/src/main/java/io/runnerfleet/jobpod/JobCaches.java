package io.runnerfleet.jobpod;

import io.runnerfleet.gitlab.job.JobCache;
import io.runnerfleet.gitlab.job.JobPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's {@code cache:} entries resolved as gitlab-runner's {@code shells/abstract.go} does ({@code cacheExtractor},
 * {@code extractCacheOrFallbackCachesWrapper}, {@code archiveCache}): keys expanded against the job's variables and
 * sanitised ({@link CacheKeys}), the default key {@code <job>/<ref>}, {@code fallback_keys} then
 * {@code CACHE_FALLBACK_KEY} (never one ending in {@code -protected}), policy and {@code when}.
 */
final class JobCaches {
    /** gitlab-runner's {@code DefaultCacheRequestTimeout}, in minutes; {@code CACHE_REQUEST_TIMEOUT} overrides it. */
    static final int DEFAULT_REQUEST_TIMEOUT_MINUTES = 10;

    /** Where a key's presigned URLs come from: the name of the env variable that will hold one, or empty. */
    interface Urls {
        Optional<String> download(String key);

        Optional<String> upload(String key);

        Urls LOCAL_ONLY = new Urls() {
            @Override
            public Optional<String> download(String key) {
                return Optional.empty();
            }

            @Override
            public Optional<String> upload(String key) {
                return Optional.empty();
            }
        };
    }

    private JobCaches() {}

    static List<CacheEntry> resolve(JobPayload job, JobVariables variables, String projectDir, Urls urls) {
        List<CacheEntry> entries = new ArrayList<>();
        for (JobCache cache : job.cache()) {
            List<String> args = new ArrayList<>();
            cache.paths().forEach(p -> {
                args.add("--path");
                args.add(p);
            });
            if (cache.untracked()) {
                args.add("--untracked");
            }
            if (args.isEmpty()) {
                continue; // as gitlab-runner: nothing to restore or save
            }
            entries.add(entry(job, cache, args, variables, projectDir, urls));
        }
        return entries;
    }

    private static CacheEntry entry(
            JobPayload job, JobCache cache, List<String> args, JobVariables variables, String projectDir, Urls urls) {
        List<String> warnings = new ArrayList<>();
        String rawKey = cache.key() == null || cache.key().isEmpty()
                ? CacheKeys.defaultKey(job.jobInfo().name(), job.gitInfo().ref())
                : variables.expand(cache.key());
        Optional<String> key = sanitized(rawKey, warnings);
        String policy = cache.policy() == null ? "" : variables.expand(cache.policy());
        boolean pull;
        boolean push;
        switch (policy) {
            case "", "pull-push" -> {
                pull = true;
                push = true;
            }
            case "pull" -> {
                pull = true;
                push = false;
            }
            case "push" -> {
                pull = false;
                push = true;
            }
            default ->
                // gitlab-runner fails the job's cache stage: "unknown cache policy X for KEY".
                throw new JobPodException("cache policy \"" + ServiceHostnames.printable(policy) + "\" for key \""
                        + ServiceHostnames.printable(key.orElse(rawKey))
                        + "\" is unknown; use pull, push or pull-push");
        }
        List<CacheEntry.Archive> restore = new ArrayList<>();
        Optional<CacheEntry.Archive> upload = Optional.empty();
        // A URL only for what the policy lets the pod do: each one is a credential for its object.
        Urls used = pull ? urls : Urls.LOCAL_ONLY;
        if (key.isPresent()) {
            restore.add(archive(projectDir, key.get(), used.download(key.get())));
            upload = Optional.of(archive(projectDir, key.get(), push ? urls.upload(key.get()) : Optional.empty()));
            for (String fallback : cache.fallbackKeys()) {
                sanitized(variables.expand(fallback), warnings)
                        .ifPresent(k -> restore.add(archive(projectDir, k, used.download(k))));
            }
            String envFallback = variables.value("CACHE_FALLBACK_KEY").orElse("");
            if (!envFallback.isEmpty()) {
                Optional<String> fallback = sanitized(variables.expand(envFallback), warnings);
                if (fallback.isPresent() && CacheKeys.isProtectedFallback(fallback.get())) {
                    warnings.add("CACHE_FALLBACK_KEY \"" + fallback.get() + "\" not allowed to end in \""
                            + CacheKeys.PROTECTED_SUFFIX + "\"");
                } else {
                    fallback.ifPresent(k -> restore.add(archive(projectDir, k, used.download(k))));
                }
            }
        }
        return new CacheEntry(restore, upload, args, pull, push, CacheEntry.When.of(cache.when()), warnings);
    }

    private static Optional<String> sanitized(String raw, List<String> warnings) {
        Optional<String> key = CacheKeys.sanitize(raw);
        if (key.isEmpty() && !raw.isEmpty()) {
            warnings.add("cache key \"" + raw + "\" could not be sanitized");
        } else if (key.isPresent() && !key.get().equals(raw)) {
            warnings.add("cache key \"" + raw + "\" sanitized to \"" + key.get() + "\"");
        }
        return key;
    }

    private static CacheEntry.Archive archive(String projectDir, String key, Optional<String> urlEnv) {
        return new CacheEntry.Archive(key, CacheFiles.archive(projectDir, key), urlEnv);
    }

    /** {@code CACHE_REQUEST_TIMEOUT} in minutes when a positive whole number, else gitlab-runner's default. */
    static int requestTimeoutMinutes(JobVariables variables) {
        String value = variables.value("CACHE_REQUEST_TIMEOUT").orElse("").trim();
        if (value.matches("[0-9]{1,6}") && Integer.parseInt(value) > 0) {
            return Integer.parseInt(value);
        }
        return DEFAULT_REQUEST_TIMEOUT_MINUTES;
    }
}
