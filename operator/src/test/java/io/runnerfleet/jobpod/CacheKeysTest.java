package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cache keys as gitlab-runner's {@code cache/cachekey} sanitises them (cases from its behaviour, quoted by hand). */
class CacheKeysTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "deps-main|deps-main",
                "some-job/some-ref|some-job/some-ref",
                "key/|key",
                "\"key \"|key",
                "key\\|key",
                "\"key / \\o\"|\"key / /o\"",
                "something %2F something|something / something",
                "some%2f../job/some/ref/.|job/some/ref",
                "%2E%2E%2E|...",
                "%5C|%5C",
                "foo/blipp/../bar|foo/bar",
                "../foo/bar|foo/bar",
                "foo/bar/../../../.././blerp|blerp",
                "job\\name/git\\ref|job/name/git/ref",
            })
    void sanitisedAsGitlabRunner(String raw, String expected) {
        assertThat(CacheKeys.sanitize(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", " ", ".", "..", "//", "../.", "foo/bar/../..", "%2e%2E", " \t\r\n"})
    void nothingLeftIsNoKey(String raw) {
        assertThat(CacheKeys.sanitize(raw)).isEmpty();
    }

    @Test
    void trailingTabsAndReturnsGoLeadingOnesStay() {
        assertThat(CacheKeys.sanitize("\t foo bar \t\r")).contains("\t foo bar");
    }

    @Test
    void theDefaultKeyIsJobSlashRefCleaned() {
        assertThat(CacheKeys.defaultKey("test", "main")).isEqualTo("test/main");
        assertThat(CacheKeys.defaultKey("build", "feature/x/../y")).isEqualTo("build/feature/y");
    }

    @Test
    void aFallbackKeyEndingInProtectedIsRecognisedThroughTrailingDotsAndSpaces() {
        assertThat(CacheKeys.isProtectedFallback("main-protected")).isTrue();
        assertThat(CacheKeys.isProtectedFallback("main-protected. .")).isTrue();
        assertThat(CacheKeys.isProtectedFallback("main-protected-not")).isFalse();
    }
}
