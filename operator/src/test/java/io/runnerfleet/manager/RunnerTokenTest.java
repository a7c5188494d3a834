package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
