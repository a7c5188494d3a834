package io.runnerfleet.jobpod;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Cache keys as gitlab-runner turns them into archive names: {@code cache/cachekey/cachekey.go} ({@code Sanitize})
 * and {@code shells/abstract.go} ({@code newCacheConfig}, the default key, {@code CACHE_FALLBACK_KEY}'s check).
 * Keys may hold {@code /}: they become directories under the project's cache directory, never outside it.
 */
final class CacheKeys {
    /** gitlab-runner refuses a {@code CACHE_FALLBACK_KEY} ending so: it would restore a protected branch's cache. */
    static final String PROTECTED_SUFFIX = "-protected";

    private CacheKeys() {}

    /** The key a cache without {@code key:} gets: {@code <job name>/<ref>}, cleaned like a path. */
    static String defaultKey(String jobName, String ref) {
        return clean("/" + nullToEmpty(jobName) + "/" + nullToEmpty(ref)).substring(1);
    }

    /**
     * The key as gitlab-runner's {@code Sanitize}: {@code %2f}/{@code %2e} decoded, {@code \} made {@code /},
     * {@code .} and {@code ..} resolved inside a virtual root, trailing whitespace trimmed from the last segments.
     * Empty when nothing is left (gitlab-runner then skips the cache with "empty cache key").
     */
    static Optional<String> sanitize(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        String normalised = key.replace("%2f", "/")
                .replace("%2F", "/")
                .replace("%2e", ".")
                .replace("%2E", ".")
                .replace('\\', '/');
        List<String> parts = List.of(clean("/" + normalised).substring(1).split("/", -1));
        int n = parts.size();
        String last = "";
        while (n > 0) {
            last = trimTrailingSpace(parts.get(n - 1));
            if (!last.isEmpty()) {
                break;
            }
            n--;
        }
        if (n == 0) {
            return Optional.empty();
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < n - 1; i++) {
            joined.append(parts.get(i)).append('/');
        }
        return Optional.of(joined.append(last).toString());
    }

    /** gitlab-runner's {@code blockProtectedFallback}: trailing dots and spaces do not hide the suffix. */
    static boolean isProtectedFallback(String sanitizedKey) {
        return sanitizedKey.replaceFirst("[. ]+$", "").endsWith(PROTECTED_SUFFIX);
    }

    /** Go's {@code path.Clean} for a rooted path: no empty, {@code .} or {@code ..} segments; {@code ..} stops at root. */
    static String clean(String rooted) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rooted.split("/", -1)) {
            switch (segment) {
                case "", "." -> {}
                case ".." -> segments.pollLast();
                default -> segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Go's {@code strings.TrimRightFunc(s, unicode.IsSpace)}. */
    private static String trimTrailingSpace(String s) {
        int end = s.length();
        while (end > 0 && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isGoSpace(char c) {
        return c == '\t'
                || c == '\n'
                || c == 0x0B
                || c == '\f'
                || c == '\r'
                || c == ' '
                || c == 0x85
                || c == 0xA0
                || Character.isSpaceChar(c);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
