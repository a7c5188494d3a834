package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTokenTest {
    private static final String TOKEN = "glrt-t1_abcdefghijklmnopqrstu";

    @TempDir
    Path dir;

    @Test
    void fileWinsOverTheEnvironmentAndNeverShowsInToString() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        RunnerToken token = RunnerToken.load(Optional.of(file), Map.of(RunnerToken.ENV, "glrt-other"));
        assertThat(token.value()).isEqualTo(TOKEN);
        assertThat(token.toString()).doesNotContain("glrt").doesNotContain("abcdef");
        assertThat(token.shortId()).isEqualTo("t1_abcdef");
    }

    @Test
    void missingTokenSaysHowToProvideOneWithoutEchoingValues() {
        assertThatThrownBy(() -> RunnerToken.load(Optional.empty(), Map.of()))
                .hasMessageContaining("--token-file")
                .hasMessageContaining("RUNNER_TOKEN");
        assertThatThrownBy(() -> RunnerToken.load(Optional.of(dir.resolve("absent")), Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void identityComesFromTheDownwardApi() {
        ManagerIdentity identity = ManagerIdentity.fromEnvironment(
                Map.of("POD_NAME", "build-fleet-manager-5d9c-x2", "POD_NAMESPACE", "gitlab"), "default");
        assertThat(identity.podName()).isEqualTo("build-fleet-manager-5d9c-x2");
        assertThat(identity.podNamespace()).isEqualTo("gitlab");
        assertThat(identity.systemId()).matches("s_[0-9a-f]{12}");
        assertThat(ManagerIdentity.systemIdFor("a")).isEqualTo(ManagerIdentity.systemIdFor("a"));
    }

    @Test
    void aTokenFollowingAFileTakesItsNewContentKeepsItsShortIdAndSurvivesASwap() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        RunnerToken token = RunnerToken.following(file, start);
        Files.writeString(file, "glrt-t1_rotatedrotatedrotated\n");

        assertThat(token.reloadIfDue(start.plusSeconds(1))).isFalse();
        assertThat(token.value()).isEqualTo(TOKEN);
        assertThat(token.reloadIfDue(start.plus(RunnerToken.RELOAD_EVERY))).isTrue();
        assertThat(token.value()).isEqualTo("glrt-t1_rotatedrotatedrotated");
        assertThat(token.shortId()).isEqualTo("t1_abcdef");

        Files.writeString(file, "");
        assertThat(token.reload(start.plusSeconds(60))).isFalse();
        Files.delete(file);
        assertThat(token.reload(start.plusSeconds(61))).isFalse();
        assertThat(token.value()).isEqualTo("glrt-t1_rotatedrotatedrotated");
        assertThat(RunnerToken.of(TOKEN).reload(start)).isFalse();
    }

    @Test
    void aTokenThisManagerRotatedAwayIsNeverReadBackFromTheFileThatStillHoldsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        RunnerToken token = RunnerToken.following(file, start);

        token.rotatedTo("glrt-t1_RotatedByThisManager99");
        assertThat(token.value()).isEqualTo("glrt-t1_RotatedByThisManager99");
        // The kubelet has not swapped the file yet (or the Secret write failed): the old token stays unused.
        assertThat(token.reload(start.plusSeconds(30))).isFalse();
        assertThat(token.value()).isEqualTo("glrt-t1_RotatedByThisManager99");
        // A token the Secret gets later (a human, a peer's next rotation) is followed as before.
        Files.writeString(file, "glrt-t1_PutThereLater00000000");
        assertThat(token.reload(start.plusSeconds(60))).isTrue();
        assertThat(token.value()).isEqualTo("glrt-t1_PutThereLater00000000");
        assertThat(token.toString()).doesNotContain("glrt-");
    }
}
