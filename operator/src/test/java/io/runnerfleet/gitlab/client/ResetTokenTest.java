package io.runnerfleet.gitlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST runners/reset_authentication_token} against the test GitLab, which behaves as GitLab documents. */
class ResetTokenTest {
    private final Clients clients = new Clients();
    private TestGitLab gitlab;

    @AfterEach
    void stop() {
        if (gitlab != null) {
            gitlab.close();
        }
    }

    @Test
    void aResetHandsOutANewTokenWithItsExpiryAndTheOldOneStopsWorking() {
        gitlab = TestGitLab.builder().tokenLifetime(Duration.ofHours(1)).start();
        GitLabClient client = clients.client(gitlab);
        VerifyResult.Verified before = (VerifyResult.Verified) client.verify(TestGitLab.RUNNER_TOKEN);

        ResetTokenResult result = client.resetToken(TestGitLab.RUNNER_TOKEN);

        assertThat(result).isInstanceOf(ResetTokenResult.Reset.class);
        ResetTokenResult.Reset reset = (ResetTokenResult.Reset) result;
        assertThat(reset.token()).startsWith("glrt-").isNotEqualTo(TestGitLab.RUNNER_TOKEN);
        assertThat(reset.toString()).doesNotContain(reset.token());
        assertThat(Instant.parse(reset.tokenExpiresAt())).isAfterOrEqualTo(Instant.parse(before.tokenExpiresAt()));
        assertThat(gitlab.runnerTokens()).containsExactly(reset.token());
        assertThat(client.verify(TestGitLab.RUNNER_TOKEN)).isInstanceOf(VerifyResult.InvalidToken.class);
        assertThat(client.verify(reset.token()))
                .isEqualTo(new VerifyResult.Verified(TestGitLab.RUNNER_ID, reset.tokenExpiresAt()));
        assertThat(gitlab.requests("reset_token").get(0).json().get("token").asText())
                .isEqualTo(TestGitLab.RUNNER_TOKEN);
        assertThat(gitlab.requests("reset_token").get(0).header("RUNNER-TOKEN")).isEqualTo(TestGitLab.RUNNER_TOKEN);
        assertThat(clients.calls)
                .filteredOn(c -> c.endpoint() == ApiEndpoint.RESET_TOKEN)
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo(201);
                    assertThat(c.endpoint().label()).isEqualTo("reset_token");
                });
    }

    @Test
    void aResetWithATokenGitLabNoLongerKnowsIsRejectedWithoutEchoingIt() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        ResetTokenResult.Reset first = (ResetTokenResult.Reset) client.resetToken(TestGitLab.RUNNER_TOKEN);

        ResetTokenResult again = client.resetToken(TestGitLab.RUNNER_TOKEN);

        assertThat(first.tokenExpiresAt()).isNull();
        assertThat(again).isInstanceOf(ResetTokenResult.Rejected.class);
        assertThat(((ResetTokenResult.Rejected) again).message())
                .contains("403")
                .contains("token Secret")
                .doesNotContain(TestGitLab.RUNNER_TOKEN);
        assertThat(gitlab.runnerTokens()).containsExactly(first.token());
    }

    @Test
    void aServerErrorIsRetriedAsGitlabRunnerDoesThenFailsAndTheOldTokenStays() {
        gitlab = TestGitLab.builder()
                .faults(FaultPlan.errors(1, 1.0, 500, "reset_token"))
                .start();
        GitLabClient client = clients.client(gitlab);

        ResetTokenResult result = client.resetToken(TestGitLab.RUNNER_TOKEN);

        assertThat(result).isInstanceOf(ResetTokenResult.Failed.class);
        assertThat(((ResetTokenResult.Failed) result).status()).isEqualTo(500);
        assertThat(gitlab.requests("reset_token")).hasSizeGreaterThan(1);
        assertThat(gitlab.runnerTokens()).containsExactly(TestGitLab.RUNNER_TOKEN);
    }

    @Test
    void aResetWithoutAnAnswerIsNotRetriedBecauseGitLabMayHaveRotatedAlready() {
        gitlab = TestGitLab.builder()
                .faults(FaultPlan.timeouts(1, 1.0, Duration.ofSeconds(2), "reset_token"))
                .start();
        GitLabClient client = clients.client(gitlab, Duration.ofMillis(300), Duration.ofSeconds(10));

        ResetTokenResult result = client.resetToken(TestGitLab.RUNNER_TOKEN);

        assertThat(result).isInstanceOf(ResetTokenResult.Failed.class);
        assertThat(((ResetTokenResult.Failed) result).status()).isEqualTo(ApiCall.NO_RESPONSE);
        assertThat(clients.calls)
                .filteredOn(c -> c.endpoint() == ApiEndpoint.RESET_TOKEN)
                .singleElement()
                .satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
    }
}
