package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnerfleet.gitlab.client.GitLabClient;
import io.runnerfleet.gitlab.client.GitLabClientConfig;
import io.runnerfleet.gitlab.client.ResetTokenResult;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manager whose token file changes (a rotation written into its mounted Secret) goes on without a restart. */
class TokenFileTest {
    private final ManagerHarness harness = new ManagerHarness(b -> b.tokenLifetime(Duration.ofHours(1)));

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aManagerFollowsItsTokenFileAfterGitLabResetTheTokenWithoutARestart() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TestGitLab.RUNNER_TOKEN + "\n");
        RunnerManager manager = harness.startManager(
                "shop-manager-a", harness.config(2), "127.0.0.1:0", RunnerToken.following(file, Instant.now()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !harness.gitlab.requests("request_job").isEmpty());

        // What the rotating manager does: reset at GitLab, then write the Secret, which the kubelet swaps in whole.
        GitLabClient rotator = new GitLabClient(
                GitLabClientConfig.builder(harness.gitlab.url() + "/").build());
        ResetTokenResult.Reset reset = (ResetTokenResult.Reset) rotator.resetToken(TestGitLab.RUNNER_TOKEN);
        Path staged = Files.writeString(dir.resolve("token.new"), reset.token());
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        harness.gitlab.enqueue(TestJob.builder(211).build());
        harness.awaitDone(211, Duration.ofSeconds(40));

        assertThat(harness.gitlab.job(211).handedOut()).isTrue();
        // A request held since before the reset may be recorded last (it carries the old token and GitLab refuses
        // it); what matters is that the manager asks with the new one.
        assertThat(harness.gitlab.requests("request_job"))
                .anySatisfy(r -> assertThat(r.json().path("token").asText()).isEqualTo(reset.token()));
        // Verified at start, then once more with the new token, to learn its expiry (TokenRotator): the same process,
        // never restarted (a restart would verify the new token at its start and have no old one to verify).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.gitlab.requests("verify_runner").size() == 2);
        assertThat(harness.gitlab.requests("verify_runner"))
                .extracting(r -> r.json().path("token").asText())
                .containsExactly(TestGitLab.RUNNER_TOKEN, reset.token());
        assertThat(manager.toString()).doesNotContain(reset.token());
    }
}
