package io.runnerfleet.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** gitlab-runner's feature flags: names, defaults, parsing and its resolution order (common/build_settings.go). */
class FeatureFlagsTest {
    @Test
    void theDefaultsAreGitLabRunners() {
        assertThat(FeatureFlags.DEFAULTS).hasSize(52).containsEntry("FF_TIMESTAMPS", true);
        assertThat(FeatureFlags.DEFAULTS)
                .containsEntry("FF_MASK_ALL_DEFAULT_TOKENS", true)
                .containsEntry("FF_USE_POD_ACTIVE_DEADLINE_SECONDS", true)
                .containsEntry("FF_PRINT_POD_EVENTS", false);
        assertThat(FeatureFlags.Resolved.defaults().values()).isEqualTo(FeatureFlags.DEFAULTS);
    }

    @Test
    void unknownNamesChangeNothingAndAreNamedInAWarning() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("FF_TIMESTAMPS", false);
        table.put("FF_TIMESTAMP", true);
        table.put("ff_print_pod_events", true);
        FeatureFlags flags = FeatureFlags.parse(table, "config.toml", "runners[0].feature_flags");
        assertThat(flags.configured()).containsExactly(Map.entry("FF_TIMESTAMPS", false));
        assertThat(flags.asWritten()).hasSize(3);
        assertThat(flags.warnings("runners[0].feature_flags"))
                .containsExactly(
                        "runners[0].feature_flags.FF_TIMESTAMP: unknown feature flag, ignored; known flags are "
                                + "gitlab-runner's (https://docs.gitlab.com/runner/configuration/feature-flags/)",
                        "runners[0].feature_flags.ff_print_pod_events: unknown feature flag, ignored; did you mean "
                                + "\"FF_PRINT_POD_EVENTS\"?");
        assertThat(flags.resolve(name -> null).isOn("FF_TIMESTAMPS")).isFalse();
    }

    @Test
    void aValueThatIsNotABooleanIsBadInputNamingTheKey() {
        assertThatThrownBy(() ->
                        FeatureFlags.parse(Map.of("FF_TIMESTAMPS", "no"), "config.toml", "runners[0].feature_flags"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runners[0].feature_flags.FF_TIMESTAMPS")
                .hasMessageContaining("expected true or false");
    }

    @Test
    void theRunnersConfigWinsOverTheJobsVariableWhichWinsOverTheDefault() {
        FeatureFlags runner = FeatureFlags.parse(Map.of("FF_PRINT_POD_EVENTS", false), "x", "f");
        Map<String, String> job = Map.of(
                "FF_PRINT_POD_EVENTS", "true", // the runner set it: ignored
                "FF_TIMESTAMPS", "0", // Go's ParseBool: 0 is false
                "FF_SCRIPT_SECTIONS", "T");
        FeatureFlags.Resolved resolved = runner.resolve(job::get);
        assertThat(resolved.isOn("FF_PRINT_POD_EVENTS")).isFalse();
        assertThat(resolved.isOn("FF_TIMESTAMPS")).isFalse();
        assertThat(resolved.isOn("FF_SCRIPT_SECTIONS")).isTrue();
        assertThat(resolved.isOn("FF_MASK_ALL_DEFAULT_TOKENS")).isTrue();
        assertThat(resolved.problems()).isEmpty();
    }

    @Test
    void aJobValueThatIsNotABooleanKeepsTheDefaultAndSaysSoInGitLabRunnersWords() {
        FeatureFlags.Resolved resolved = FeatureFlags.none().resolve(Map.of("FF_TIMESTAMPS", "yes")::get);
        assertThat(resolved.isOn("FF_TIMESTAMPS")).isTrue();
        assertThat(resolved.problems())
                .containsExactly("FF_TIMESTAMPS: could not parse feature flag, expected bool, got yes");
    }
}
