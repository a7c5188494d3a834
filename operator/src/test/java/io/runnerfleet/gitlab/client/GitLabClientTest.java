package io.runnerfleet.gitlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.RecordedRequest;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GitLabClientTest {
    private final Clients clients = new Clients();
    private TestGitLab gitlab;

    @AfterEach
    void stop() {
        if (gitlab != null) {
            gitlab.close();
        }
    }

    private GitLabClient start(TestGitLab.Builder builder) {
        gitlab = builder.start();
        return clients.client(gitlab);
    }

    /** Enqueues a job and takes it, so that it can be updated and patched. */
    private TestJob pickUp(GitLabClient client) {
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);
        assertThat(client.requestJob(TestGitLab.RUNNER_TOKEN, null)).isInstanceOf(JobRequestResult.JobReceived.class);
        return job;
    }

    @Test
    void verifyAcceptsAKnownTokenAndSendsWhatGitlabRunnerSends() {
        GitLabClient client = start(TestGitLab.builder());

        VerifyResult result = client.verify(TestGitLab.RUNNER_TOKEN);

        assertThat(result).isEqualTo(new VerifyResult.Verified(TestGitLab.RUNNER_ID, null));
        RecordedRequest request = gitlab.requests("verify_runner").get(0);
        assertThat(request.header("User-Agent"))
                .matches("gitlab-runner 19\\.4\\.0 \\(19-4-stable; go[0-9.]+; linux/\\w+\\)");
        assertThat(request.header("X-Request-Id")).matches("[0-9a-f]{32}");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Accept")).isEqualTo("application/json");
        JsonNode body = request.json();
        assertThat(body.get("token").asText()).isEqualTo(TestGitLab.RUNNER_TOKEN);
        assertThat(body.get("system_id").asText()).isEqualTo(Clients.SYSTEM_ID);
        JsonNode info = body.get("info");
        assertThat(info.get("name").asText()).isEqualTo("gitlab-runner");
        assertThat(info.get("executor").asText()).isEqualTo("kubernetes");
        assertThat(info.get("shell").asText()).isEqualTo("bash");
        assertThat(info.get("platform").asText()).isEqualTo("linux");
        assertThat(info.get("features").size()).isEqualTo(RunnerInfo.FEATURE_KEYS.size());
        assertThat(info.get("features").get("trace_checksum").asBoolean()).isTrue();
        assertThat(info.get("features").get("cancel_gracefully").asBoolean()).isTrue();
        assertThat(info.get("features").get("session").asBoolean()).isFalse();
        // Only what is implemented: GitLab then never hands out a job needing the rest.
        for (String notDone : List.of("vault_secrets", "native_steps_integration", "job_inputs", "proxy", "terminal")) {
            assertThat(info.get("features").get(notDone).asBoolean())
                    .as(notDone)
                    .isFalse();
        }
        assertThat(info.get("features").get("fallback_cache_keys").asBoolean()).isTrue();
        assertThat(info.get("features").get("image_executor_opts").asBoolean()).isTrue();
        assertThat(clients.calls)
                .containsExactly(new ApiCall(
                        ApiEndpoint.VERIFY_RUNNER,
                        "POST",
                        200,
                        1,
                        clients.calls.get(0).duration()));
    }

    @Test
    void verifyTurnsA403IntoAnInvalidTokenThatIsNotRetried() {
        GitLabClient client = start(TestGitLab.builder());

        VerifyResult result = client.verify("glrt-wrong_token_123456");

        assertThat(result).isInstanceOf(VerifyResult.InvalidToken.class);
        assertThat(((VerifyResult.InvalidToken) result).message())
                .contains("403")
                .contains("runner authentication token")
                .doesNotContain("glrt-wrong_token_123456");
        assertThatThrownBy(result::orThrowIfInvalid).isInstanceOf(RunnerTokenRejectedException.class);
        assertThat(gitlab.requests("verify_runner")).hasSize(1);
    }

    @Test
    void requestJobHandsOutEachJobOnceThenReportsNoJobWithTheQueueVersion() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);

        JobRequestResult first = client.requestJob(TestGitLab.RUNNER_TOKEN, null);
        JobRequestResult second = client.requestJob(TestGitLab.RUNNER_TOKEN, null);

        assertThat(first).isInstanceOf(JobRequestResult.JobReceived.class);
        JobRequestResult.JobReceived received = (JobRequestResult.JobReceived) first;
        assertThat(received.id()).isEqualTo(job.id());
        assertThat(received.job().token()).isEqualTo(job.token());
        assertThat(received.json()).isEqualTo(job.json());
        assertThat(received.toString()).doesNotContain(job.token());
        assertThat(second).isEqualTo(new JobRequestResult.NoJob(gitlab.lastUpdate()));
        JsonNode body = gitlab.requests("request_job").get(0).json();
        assertThat(body.has("last_update")).isFalse();
        assertThat(body.get("token").asText()).isEqualTo(TestGitLab.RUNNER_TOKEN);
        assertThat(body.get("system_id").asText()).isEqualTo(Clients.SYSTEM_ID);
        assertThat(body.get("info").get("features").get("two_phase_job_commit").asBoolean())
                .isTrue();
    }

    @Test
    void aJobWhosePayloadCannotBeReadIsItsOwnResultAndOneWithoutATextTokenIsAFailure() {
        GitLabClient client = start(TestGitLab.builder());
        ObjectNode noSteps = TestJob.builder().build().node();
        noSteps.remove("steps");
        gitlab.enqueue(noSteps.toString());

        JobRequestResult result = client.requestJob(TestGitLab.RUNNER_TOKEN, null);

        assertThat(result).isInstanceOf(JobRequestResult.UnreadableJob.class);
        JobRequestResult.UnreadableJob unreadable = (JobRequestResult.UnreadableJob) result;
        assertThat(unreadable.id()).isEqualTo(noSteps.get("id").asLong());
        assertThat(unreadable.token()).isEqualTo(noSteps.get("token").asText());
        assertThat(unreadable.problem()).contains("steps: is required");
        assertThat(unreadable.healthy()).isTrue();
        assertThat(unreadable.toString()).doesNotContain(unreadable.token());

        ObjectNode noToken = TestJob.builder().build().node();
        noToken.put("token", 42);
        noToken.remove("steps");
        gitlab.enqueue(noToken.toString());
        assertThat(client.requestJob(TestGitLab.RUNNER_TOKEN, null))
                .isInstanceOf(JobRequestResult.Failed.class)
                .hasFieldOrPropertyWithValue("message", "Error decoding json payload: invalid job JSON")
                .hasFieldOrPropertyWithValue("healthy", false);
    }

    @Test
    void longPollingReturnsAsSoonAsAJobIsEnqueued() throws Exception {
        GitLabClient client = start(TestGitLab.builder().longPoll(Duration.ofSeconds(20)));
        String lastUpdate = client.requestJob(TestGitLab.RUNNER_TOKEN, null).lastUpdate();
        assertThat(lastUpdate).isNotNull();

        CompletableFuture<JobRequestResult> poll =
                CompletableFuture.supplyAsync(() -> client.requestJob(TestGitLab.RUNNER_TOKEN, lastUpdate));
        await().atMost(Duration.ofSeconds(5)).until(() -> gitlab.heldPolls() == 1);
        long enqueued = System.nanoTime();
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);

        JobRequestResult result = poll.get(5, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(JobRequestResult.JobReceived.class);
        assertThat(((JobRequestResult.JobReceived) result).id()).isEqualTo(job.id());
        assertThat(Duration.ofNanos(System.nanoTime() - enqueued)).isLessThan(Duration.ofSeconds(2));
        assertThat(gitlab.requests("request_job")
                        .get(1)
                        .json()
                        .get("last_update")
                        .asText())
                .isEqualTo(lastUpdate);
    }

    @Test
    void longPollingAnswers204WithTheQueueVersionWhenNothingArrives() {
        GitLabClient client = start(TestGitLab.builder().longPoll(Duration.ofMillis(300)));
        String lastUpdate = client.requestJob(TestGitLab.RUNNER_TOKEN, null).lastUpdate();

        long started = System.nanoTime();
        JobRequestResult result = client.requestJob(TestGitLab.RUNNER_TOKEN, lastUpdate);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        assertThat(result).isEqualTo(new JobRequestResult.NoJob(lastUpdate));
    }

    @Test
    void requestJobWithABadTokenIsForbiddenAndUnhealthy() {
        GitLabClient client = start(TestGitLab.builder());

        JobRequestResult result = client.requestJob("glrt-not_a_runner_0000", null);

        assertThat(result).isInstanceOf(JobRequestResult.Forbidden.class);
        assertThat(result.healthy()).isFalse();
        assertThat(gitlab.requests("request_job")).hasSize(1);
        assertThat(clients.calls).extracting(ApiCall::statusLabel).containsExactly("403");
    }

    @Test
    void requestJobConflictIsNoJobAndNotRetried() {
        GitLabClient client = start(TestGitLab.builder().faults(FaultPlan.errors(1, 1.0, 409, "request_job")));

        JobRequestResult result = client.requestJob(TestGitLab.RUNNER_TOKEN, null);

        assertThat(result).isInstanceOf(JobRequestResult.Conflict.class);
        assertThat(result.healthy()).isTrue();
        assertThat(gitlab.requests("request_job")).hasSize(1);
    }

    @Test
    void requestJob5xxIsRetriedFiveTimesThenFailsHealthy() {
        GitLabClient client = start(TestGitLab.builder().faults(FaultPlan.errors(1, 1.0, 503, "request_job")));

        JobRequestResult result = client.requestJob(TestGitLab.RUNNER_TOKEN, null);

        assertThat(result).isInstanceOf(JobRequestResult.Failed.class);
        assertThat(((JobRequestResult.Failed) result).status()).isEqualTo(503);
        assertThat(result.healthy()).isTrue();
        assertThat(gitlab.requests("request_job")).hasSize(GitLabClientConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(clients.calls).hasSize(1);
        assertThat(clients.calls.get(0).attempts()).isEqualTo(GitLabClientConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(clients.calls.get(0).endpoint().label()).isEqualTo("request_job");
    }

    @Test
    void requestJobTimeoutIsUnhealthyAndNotRetried() {
        gitlab = TestGitLab.builder().longPoll(Duration.ofSeconds(5)).start();
        GitLabClient client = clients.client(gitlab, Duration.ofSeconds(1), Duration.ofMillis(300));

        JobRequestResult result = client.requestJob(TestGitLab.RUNNER_TOKEN, gitlab.lastUpdate());

        assertThat(result).isInstanceOf(JobRequestResult.Failed.class);
        assertThat(result.healthy()).isFalse();
        assertThat(((JobRequestResult.Failed) result).status()).isEqualTo(ApiCall.NO_RESPONSE);
        assertThat(clients.calls)
                .extracting(ApiCall::status, ApiCall::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ApiCall.NO_RESPONSE, 1));
    }

    @Test
    void updateJobMovesTheJobThroughRunningToSuccessAndThenReportsItGone() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);

        UpdateJobResult running = client.updateJob(job.id(), job.token(), JobUpdate.running(null, 0));
        assertThat(running.outcome()).isEqualTo(UpdateJobResult.Outcome.ACCEPTED);
        assertThat(running.jobStatus()).isEqualTo("running");
        assertThat(running.updateInterval()).contains(Duration.ofSeconds(3));
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.RUNNING);

        UpdateJobResult success =
                client.updateJob(job.id(), job.token(), JobUpdate.success(TraceUploader.checksum(new byte[0]), 0));
        assertThat(success.outcome()).isEqualTo(UpdateJobResult.Outcome.ACCEPTED);
        assertThat(success.finalUpdateDone()).isTrue();
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.SUCCESS);

        UpdateJobResult again = client.updateJob(job.id(), job.token(), JobUpdate.running(null, 0));
        assertThat(again.outcome()).isEqualTo(UpdateJobResult.Outcome.JOB_GONE);
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.jobStatus()).isEqualTo("success");
        assertThat(gitlab.job(job.id()).finalUpdates()).isEqualTo(1);
        assertThat(gitlab.requests("update_job")).hasSize(3);

        RecordedRequest put = gitlab.requests("update_job").get(0);
        assertThat(put.header("JOB-TOKEN")).isEqualTo(job.token());
        JsonNode body = put.json();
        assertThat(body.get("state").asText()).isEqualTo("running");
        assertThat(body.get("token").asText()).isEqualTo(job.token());
        assertThat(body.has("exit_code")).isFalse();
        assertThat(body.has("failure_reason")).isFalse();
        assertThat(body.get("output").size()).isZero();
        assertThat(body.get("info").get("name").asText()).isEqualTo("gitlab-runner");
    }

    @Test
    void updateJobSendsFailureReasonExitCodeAndOutput() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        byte[] trace = "boom\n".getBytes(StandardCharsets.UTF_8);
        assertThat(client.patchTrace(job.id(), job.token(), trace, 0).outcome())
                .isEqualTo(PatchTraceResult.Outcome.ACCEPTED);

        UpdateJobResult result = client.updateJob(
                job.id(),
                job.token(),
                JobUpdate.failed("script_failure", 2, TraceUploader.checksum(trace), trace.length));

        assertThat(result.outcome()).isEqualTo(UpdateJobResult.Outcome.ACCEPTED);
        JsonNode body = gitlab.requests("update_job").get(0).json();
        assertThat(body.get("state").asText()).isEqualTo("failed");
        assertThat(body.get("failure_reason").asText()).isEqualTo("script_failure");
        assertThat(body.get("exit_code").asInt()).isEqualTo(2);
        assertThat(body.get("output").get("checksum").asText()).matches("crc32:[0-9a-f]{8}");
        assertThat(body.get("output").get("bytesize").asLong()).isEqualTo(5);
        assertThat(body.get("checksum").asText())
                .isEqualTo(body.get("output").get("checksum").asText());
        TestGitLab.JobView view = gitlab.job(job.id());
        assertThat(view.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(view.failureReason()).isEqualTo("script_failure");
        assertThat(view.exitCode()).isEqualTo(2);
    }

    @Test
    void updateJobMaps202And412And404() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        gitlab.answerFinalUpdateAccepted(job.id(), 1);
        String emptySum = TraceUploader.checksum(new byte[0]);

        UpdateJobResult accepted = client.updateJob(job.id(), job.token(), JobUpdate.success(emptySum, 0));
        assertThat(accepted.outcome()).isEqualTo(UpdateJobResult.Outcome.ACCEPTED_NOT_COMPLETED);
        assertThat(accepted.updateInterval()).contains(Duration.ofSeconds(3));
        assertThat(accepted.finalUpdateDone()).isFalse();

        UpdateJobResult invalid = client.updateJob(job.id(), job.token(), JobUpdate.success("crc32:deadbeef", 10));
        assertThat(invalid.outcome()).isEqualTo(UpdateJobResult.Outcome.TRACE_VALIDATION_FAILED);
        assertThat(invalid.status()).isEqualTo(412);
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.PENDING);

        UpdateJobResult missing = client.updateJob(999_999, job.token(), JobUpdate.success(emptySum, 0));
        assertThat(missing.outcome()).isEqualTo(UpdateJobResult.Outcome.JOB_GONE);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(gitlab.requests("update_job")).hasSize(3);
    }

    @Test
    void cancelingIsAnnouncedByJobStatusAndTheFinalUpdateMakesItCanceled() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        client.updateJob(job.id(), job.token(), JobUpdate.running(null, 0));
        gitlab.cancel(job.id());

        UpdateJobResult touch = client.updateJob(job.id(), job.token(), JobUpdate.running(null, 0));
        PatchTraceResult patch = client.patchTrace(job.id(), job.token(), "x".getBytes(StandardCharsets.UTF_8), 0);
        UpdateJobResult last = client.updateJob(
                job.id(),
                job.token(),
                JobUpdate.failed("job_canceled", 0, TraceUploader.checksum("x".getBytes(StandardCharsets.UTF_8)), 1));

        assertThat(touch.cancelRequested()).isTrue();
        assertThat(touch.abort()).isFalse();
        assertThat(patch.cancelRequested()).isTrue();
        assertThat(patch.outcome()).isEqualTo(PatchTraceResult.Outcome.ACCEPTED);
        assertThat(last.outcome()).isEqualTo(UpdateJobResult.Outcome.ACCEPTED);
        assertThat(last.jobStatus()).isEqualTo("canceled");
        assertThat(last.abort()).isTrue();
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.CANCELED);
    }

    @Test
    void patchTraceSendsAnInclusiveContentRangeAndReportsTheNextOffset() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);

        PatchTraceResult first = client.patchTrace(job.id(), job.token(), "hello".getBytes(StandardCharsets.UTF_8), 0);
        PatchTraceResult second =
                client.patchTrace(job.id(), job.token(), " world".getBytes(StandardCharsets.UTF_8), first.offset());

        assertThat(first.outcome()).isEqualTo(PatchTraceResult.Outcome.ACCEPTED);
        assertThat(first.offset()).isEqualTo(5);
        assertThat(first.remoteLength()).isEqualTo(5);
        assertThat(first.jobStatus()).isEqualTo("pending");
        assertThat(first.updateInterval()).contains(Duration.ofSeconds(3));
        assertThat(second.offset()).isEqualTo(11);
        assertThat(gitlab.traceText(job.id())).isEqualTo("hello world");
        List<RecordedRequest> patches = gitlab.requests("patch_trace");
        assertThat(patches).extracting(r -> r.header("Content-Range")).containsExactly("0-4", "5-10");
        assertThat(patches.get(0).header("Content-Type")).isEqualTo("text/plain");
        assertThat(patches.get(0).header("JOB-TOKEN")).isEqualTo(job.token());
        assertThat(patches.get(0).query()).isEqualTo("debug_trace=false");
    }

    @Test
    void patchTraceReportsGitlabsLengthOn416() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        client.patchTrace(job.id(), job.token(), "0123456789".getBytes(StandardCharsets.UTF_8), 0);

        PatchTraceResult ahead = client.patchTrace(job.id(), job.token(), "x".getBytes(StandardCharsets.UTF_8), 20);
        PatchTraceResult behind = client.patchTrace(job.id(), job.token(), "x".getBytes(StandardCharsets.UTF_8), 3);

        assertThat(ahead.outcome()).isEqualTo(PatchTraceResult.Outcome.RANGE_MISMATCH);
        assertThat(ahead.offset()).isEqualTo(10);
        assertThat(ahead.remoteLength()).isEqualTo(10);
        assertThat(ahead.status()).isEqualTo(416);
        assertThat(behind.offset()).isEqualTo(10);
        assertThat(gitlab.traceText(job.id())).isEqualTo("0123456789");
        assertThat(gitlab.requests("patch_trace")).hasSize(3);
    }

    @Test
    void patchTraceSplitsIntoRequestsOfAtMostOneMebibyte() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        byte[] big = new byte[GitLabClient.MAX_TRACE_PATCH_BYTES * 5 / 2];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }

        PatchTraceResult result = client.patchTrace(job.id(), job.token(), big, 0);

        assertThat(result.outcome()).isEqualTo(PatchTraceResult.Outcome.ACCEPTED);
        assertThat(result.offset()).isEqualTo(big.length);
        assertThat(gitlab.requests("patch_trace"))
                .extracting(r -> r.header("Content-Range"))
                .containsExactly("0-1048575", "1048576-2097151", "2097152-2621439");
        assertThat(gitlab.requests("patch_trace"))
                .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(GitLabClient.MAX_TRACE_PATCH_BYTES));
        assertThat(gitlab.trace(job.id())).isEqualTo(big);
    }

    @Test
    void patchTraceOnAGoneJobStopsWithoutRetrying() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        gitlab.forceCancel(job.id());

        PatchTraceResult canceled = client.patchTrace(job.id(), job.token(), "x".getBytes(StandardCharsets.UTF_8), 0);
        PatchTraceResult unknown = client.patchTrace(123_456, job.token(), "x".getBytes(StandardCharsets.UTF_8), 0);

        assertThat(canceled.outcome()).isEqualTo(PatchTraceResult.Outcome.JOB_GONE);
        assertThat(canceled.status()).isEqualTo(403);
        assertThat(canceled.jobStatus()).isEqualTo("canceled");
        assertThat(canceled.abort()).isTrue();
        assertThat(unknown.outcome()).isEqualTo(PatchTraceResult.Outcome.JOB_GONE);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.abort()).isFalse();
        assertThat(gitlab.requests("patch_trace")).hasSize(2);
    }

    @Test
    void transient5xxOnPatchIsRetriedTransparently() {
        GitLabClient client = start(TestGitLab.builder());
        TestJob job = pickUp(client);
        gitlab.setFaults(FaultPlan.errors(3, 0.5, 502, "patch_trace"));

        for (int i = 0; i < 10; i++) {
            PatchTraceResult r =
                    client.patchTrace(job.id(), job.token(), "ab".getBytes(StandardCharsets.UTF_8), 2L * i);
            assertThat(r.outcome()).isEqualTo(PatchTraceResult.Outcome.ACCEPTED);
        }

        assertThat(gitlab.traceText(job.id())).isEqualTo("ab".repeat(10));
        assertThat(gitlab.requests("patch_trace"))
                .anySatisfy(r -> assertThat(r.status()).isEqualTo(502));
        assertThat(clients.calls)
                .filteredOn(c -> c.endpoint() == ApiEndpoint.PATCH_TRACE)
                .hasSize(10)
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(202));
    }

    @Test
    void apiBaseFollowsGitlabRunnersUrlRules() {
        assertThat(GitLabClientConfig.apiBase("https://gitlab.example.com/").toString())
                .isEqualTo("https://gitlab.example.com/api/v4/");
        assertThat(GitLabClientConfig.apiBase("https://gitlab.example.com/ci").toString())
                .isEqualTo("https://gitlab.example.com/api/v4/");
        assertThat(GitLabClientConfig.apiBase("https://example.com/gitlab//").toString())
                .isEqualTo("https://example.com/gitlab/api/v4/");
        assertThatThrownBy(() -> GitLabClientConfig.apiBase("ftp://example.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(GitLabClient.parseRangeEnd("0-42")).isEqualTo(42);
        assertThat(GitLabClient.parseRangeEnd("bytes=0-7")).isEqualTo(7);
        assertThat(GitLabClient.parseRangeEnd("nonsense")).isEqualTo(-1);
        assertThat(RetryRequester.retryableStatus(429)).isTrue();
        assertThat(RetryRequester.retryableStatus(501)).isFalse();
        assertThat(RetryRequester.retryableStatus(512)).isTrue();
        assertThat(RetryRequester.retryableStatus(404)).isFalse();
    }
}
