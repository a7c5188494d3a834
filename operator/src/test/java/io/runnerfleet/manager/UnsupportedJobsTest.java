package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job that needs what runner-fleet does not do fails at once, before {@code state=running} and before any pod, with
 * GitLab's {@code runner_unsupported} and a trace line naming what is missing; the payloads are as GitLab sends them.
 */
class UnsupportedJobsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private TestGitLab.JobView refused(long id, Consumer<ObjectNode> payload) {
        ObjectNode job = TestJob.builder(id).build().node();
        payload.accept(job);
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(job.toString());
        harness.awaitDone(id, Duration.ofSeconds(20));
        TestGitLab.JobView view = harness.gitlab.job(id);
        assertThat(view.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(view.failureReason()).isEqualTo("runner_unsupported");
        assertThat(view.exitCode()).isEqualTo(3);
        assertThat(view.reportedStates()).as("never reported running").containsExactly("failed");
        assertThat(harness.kube.requests())
                .as("no pod and no Secret was ever created")
                .noneMatch(r -> r.method().equals("POST")
                        && (r.path().contains("/pods") || r.path().contains("/secrets")));
        return view;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void secretsFromAVaultFailTheJobNamingTheVariables() {
        refused(
                6101,
                p -> p.set(
                        "secrets",
                        json("{\"DATABASE_PASSWORD\":{\"vault\":{\"engine\":{\"name\":\"kv-v2\",\"path\":\"kv-v2\"},"
                                + "\"path\":\"production/db\",\"field\":\"password\"},\"file\":true}}")));
        assertThat(harness.gitlab.traceText(6101))
                .contains("ERROR: the job's `secrets:` (DATABASE_PASSWORD) need an external secrets provider")
                .contains("does not advertise vault_secrets")
                .contains("ERROR: Job failed: the job needs what this runner does not support");
    }

    @Test
    void theRunKeywordFailsTheJob() {
        refused(6102, p -> {
            p.putArray("steps");
            p.set("run", json("[{\"name\":\"hello\",\"script\":\"echo hello\"}]"));
        });
        assertThat(harness.gitlab.traceText(6102)).contains("the job uses the `run:` keyword (GitLab Steps)");
    }

    @Test
    void jobInputsAndHooksFailTheJobNamingThem() {
        refused(6103, p -> {
            p.set(
                    "inputs",
                    json("[{\"key\":\"environment\",\"value\":{\"type\":\"string\",\"content\":\"prod\","
                            + "\"sensitive\":false}}]"));
            // pre_get_sources_script and post_get_sources_script run (PrepareScript); a hook GitLab may add later
            // does not silently vanish.
            p.set(
                    "hooks",
                    json("[{\"name\":\"pre_get_sources_script\",\"script\":[\"echo before clone\"]},"
                            + "{\"name\":\"post_build_script\",\"script\":[\"echo later\"]}]"));
        });
        assertThat(harness.gitlab.traceText(6103))
                .contains("the job has `inputs:` (environment)")
                .contains("the job has `hooks:` runner-fleet does not know (post_build_script)")
                .doesNotContain("(pre_get_sources_script");
    }

    @Test
    void executorOptionsGitLabRunnerDoesNotKnowFailTheJobInItsWords() {
        refused(
                6104,
                p -> ((ObjectNode) p.get("image"))
                        .set("executor_opts", json("{\"kubernetes\":{\"user\":\"1000\",\"fsGroup\":\"1000\"}}")));
        assertThat(harness.gitlab.traceText(6104))
                .contains("Unsupported \"image\" options [fsGroup] for \"kubernetes executor\"; "
                        + "supported options are [user]");
    }

    @Test
    void aGitLabThatDoesNotKnowRunnerUnsupportedGetsARunnerSystemFailure() {
        ObjectNode job =
                TestJob.builder(6105).failureReasons("script_failure").build().node();
        job.set("secrets", json("{\"TOKEN\":{\"gcp_secret_manager\":{\"name\":\"t\",\"version\":\"1\"}}}"));
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(job.toString());
        harness.awaitDone(6105, Duration.ofSeconds(20));
        assertThat(harness.gitlab.job(6105).failureReason()).isEqualTo("runner_system_failure");
    }

    @Test
    void emptySecretsInputsAndHooksAsGitLabSendsThemRunTheJob() {
        ObjectNode job = TestJob.builder(6106).build().node();
        job.set("secrets", json("{}"));
        job.set("inputs", json("[]"));
        job.set("hooks", json("[]"));
        job.putNull("run");
        harness.kubelet.scenario(6106, Scenarios.success());
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(job.toString());
        harness.awaitDone(6106, Duration.ofSeconds(30));
        assertThat(harness.gitlab.job(6106).state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(List.of(harness.gitlab.traceText(6106))).noneMatch(t -> t.contains("does not support"));
    }
}
