package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownNamespacesTest {
    private final Set<String> existing = new HashSet<>(Set.of("builds"));
    private final List<String> lookups = new ArrayList<>();
    private Instant now = Instant.parse("2026-12-03T10:00:00Z");
    private final KnownNamespaces namespaces = new KnownNamespaces(
            name -> {
                lookups.add(name);
                return existing.contains(name);
            },
            new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            });

    @Test
    void anExistingNamespaceIsLookedUpOnceUntilTheAnswerExpires() {
        for (int i = 0; i < 1000; i++) {
            assertThat(namespaces.exists("builds")).isTrue();
        }
        assertThat(lookups).containsExactly("builds");

        existing.remove("builds");
        now = now.plus(KnownNamespaces.REMEMBER);
        assertThat(namespaces.exists("builds")).isFalse();
        assertThat(lookups).hasSize(2);
    }

    @Test
    void aMissingNamespaceIsLookedUpEveryTimeSoTheFleetRecoversAtOnce() {
        assertThat(namespaces.exists("later")).isFalse();
        assertThat(namespaces.exists("later")).isFalse();
        existing.add("later");
        assertThat(namespaces.exists("later")).isTrue();

        assertThat(lookups).containsExactly("later", "later", "later");
    }
}
