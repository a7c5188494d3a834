package io.runnerfleet.gitlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.RecordedRequest;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceUploaderTest {
    private final Clients clients = new Clients();
    private TestGitLab gitlab;

    @AfterEach
    void stop() {
        if (gitlab != null) {
            gitlab.close();
        }
    }

    private TestJob pickUp(GitLabClient client) {
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);
        assertThat(client.requestJob(TestGitLab.RUNNER_TOKEN, null)).isInstanceOf(JobRequestResult.JobReceived.class);
        return job;
    }

    @Test
    void sendsIncrementsThenTheFinalUpdateWithChecksumAndSize() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());

        uploader.append("$ make test\n");
        assertThat(uploader.flush().outcome()).isEqualTo(PatchTraceResult.Outcome.ACCEPTED);
        assertThat(uploader.flush().status()).isZero();
        uploader.append("ok\n");
        uploader.flush();
        TraceUploader.FinalResult result = uploader.finish(JobUpdate.success(null, 0));

        byte[] expected = "$ make test\nok\n".getBytes(StandardCharsets.UTF_8);
        assertThat(result.outcome()).isEqualTo(TraceUploader.FinalOutcome.ACCEPTED);
        assertThat(result.checksum())
                .isEqualTo(TraceUploader.checksum(expected))
                .matches("crc32:[0-9a-f]{8}");
        assertThat(result.bytesize()).isEqualTo(expected.length);
        assertThat(gitlab.trace(job.id())).isEqualTo(expected);
        assertThat(gitlab.job(job.id()).finalUpdates()).isEqualTo(1);
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(gitlab.requests("patch_trace"))
                .extracting(r -> r.header("Content-Range"))
                .containsExactly("0-11", "12-14");
        assertThat(uploader.updateInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void continuesFromGitlabsLengthAfterA416() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        // Another manager sent the first part; this one has the same bytes but believes nothing was acknowledged.
        client.patchTrace(job.id(), job.token(), "first part\n".getBytes(StandardCharsets.UTF_8), 0);
        TraceUploader uploader = TraceUploader.resuming(
                client,
                job.id(),
                job.token(),
                clients.uploaderOptions(),
                "first part\n".getBytes(StandardCharsets.UTF_8),
                0);
        uploader.append("second part\n");

        PatchTraceResult result = uploader.flush();

        assertThat(result.outcome()).isEqualTo(PatchTraceResult.Outcome.ACCEPTED);
        assertThat(gitlab.requests("patch_trace"))
                .extracting(RecordedRequest::status)
                .containsExactly(202, 416, 202);
        assertThat(gitlab.requests("patch_trace").get(1).header("Content-Range"))
                .isEqualTo("0-22");
        assertThat(gitlab.requests("patch_trace").get(2).header("Content-Range"))
                .isEqualTo("11-22");
        assertThat(gitlab.traceText(job.id())).isEqualTo("first part\nsecond part\n");
        assertThat(uploader.finish(JobUpdate.success(null, 0)).outcome())
                .isEqualTo(TraceUploader.FinalOutcome.ACCEPTED);
    }

    @Test
    void resendsTheWholeTraceWhenTheFinalUpdateGets412() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());
        uploader.append("line one\nline two\n");
        uploader.flush();
        gitlab.corruptTrace(job.id());

        TraceUploader.FinalResult result = uploader.finish(JobUpdate.failed("script_failure", 1, null, 0));

        assertThat(result.outcome()).isEqualTo(TraceUploader.FinalOutcome.ACCEPTED);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(gitlab.requests("update_job"))
                .extracting(RecordedRequest::status)
                .containsExactly(412, 200);
        assertThat(gitlab.requests("patch_trace"))
                .extracting(r -> r.header("Content-Range"))
                .containsExactly("0-17", "0-17");
        assertThat(gitlab.traceText(job.id())).isEqualTo("line one\nline two\n");
        TestGitLab.JobView view = gitlab.job(job.id());
        assertThat(view.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(view.failureReason()).isEqualTo("script_failure");
        assertThat(view.exitCode()).isEqualTo(1);
        assertThat(view.finalUpdates()).isEqualTo(1);
    }

    @Test
    void waitsTheIntervalGitlabAsksForWhileTheFinalUpdateIs202() {
        gitlab = TestGitLab.builder().updateIntervalSeconds(7).start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        gitlab.answerFinalUpdateAccepted(job.id(), 2);
        TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());
        uploader.append("done\n");

        TraceUploader.FinalResult result = uploader.finish(JobUpdate.success(null, 0));

        assertThat(result.outcome()).isEqualTo(TraceUploader.FinalOutcome.ACCEPTED);
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(clients.sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
        assertThat(gitlab.job(job.id()).finalUpdates()).isEqualTo(1);
    }

    @Test
    void splitsLargeTracesIntoOneMebibytePatches() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());
        byte[] line =
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 40_000; i++) {
            uploader.append(line);
        }

        uploader.finish(JobUpdate.success(null, 0));

        List<RecordedRequest> patches = gitlab.requests("patch_trace");
        assertThat(patches).hasSize(3);
        assertThat(patches)
                .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(GitLabClient.MAX_TRACE_PATCH_BYTES));
        assertThat(gitlab.job(job.id()).traceLength()).isEqualTo(40_000L * line.length);
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.SUCCESS);
    }

    @Test
    void tickPassesOnCancelingAndAbortsOnCanceled() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());
        uploader.append("working\n");
        assertThat(uploader.tick()).isEqualTo(new TraceUploader.TickResult(true, false, false));

        gitlab.cancel(job.id());
        uploader.append("still working\n");
        assertThat(uploader.tick()).isEqualTo(new TraceUploader.TickResult(true, true, false));

        gitlab.forceCancel(job.id());
        uploader.append("more\n");
        assertThat(uploader.tick()).isEqualTo(new TraceUploader.TickResult(false, false, true));
    }

    @Test
    void touchesTheJobWhenNothingWasSentForTheForceSendInterval() {
        gitlab = TestGitLab.start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        TraceUploader uploader = new TraceUploader(
                client,
                job.id(),
                job.token(),
                clients.uploaderOptions().withIntervals(TraceUploader.DEFAULT_UPDATE_INTERVAL, Duration.ofMillis(1)));
        uploader.append("x");
        uploader.flush();
        await().pollDelay(Duration.ofMillis(5)).until(() -> true);

        assertThat(uploader.tick().keepRunning()).isTrue();

        RecordedRequest touch = gitlab.requests("update_job").get(0);
        assertThat(touch.json().get("state").asText()).isEqualTo("running");
        assertThat(touch.json().get("output").get("bytesize").asLong()).isEqualTo(1);
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.RUNNING);
    }

    @Test
    void thePeriodicLoopStreamsAtTheUpdateIntervalAndStopsOnAbort() {
        gitlab = TestGitLab.builder().updateIntervalSeconds(0).start();
        GitLabClient client = clients.client(gitlab);
        TestJob job = pickUp(client);
        TraceUploader uploader = new TraceUploader(
                client,
                job.id(),
                job.token(),
                clients.uploaderOptions().withIntervals(Duration.ofMillis(20), TraceUploader.FORCE_SEND_INTERVAL));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean aborted = new AtomicBoolean();
        try {
            TraceUploader.Loop loop = uploader.start(scheduler, new TraceUploader.Listener() {
                @Override
                public void onAbort() {
                    aborted.set(true);
                }
            });
            uploader.append("first\n");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gitlab.traceText(job.id()).equals("first\n"));
            uploader.append("second\n");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gitlab.traceText(job.id()).equals("first\nsecond\n"));
            gitlab.forceCancel(job.id());
            uploader.append("third\n");
            await().atMost(Duration.ofSeconds(5)).untilTrue(aborted);
            loop.stop();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void everyTraceByteArrivesExactlyOnceAndOneFinalStatusDespite20PercentFaults() {
        gitlab = TestGitLab.builder()
                .faults(FaultPlan.flaky(42, 0.2, Duration.ofMillis(400), "patch_trace", "update_job"))
                .start();
        GitLabClient client = clients.client(gitlab, Duration.ofMillis(150), Duration.ofSeconds(5));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int j = 0; j < 3; j++) {
            TestJob job = pickUp(client);
            TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());
            expected.reset();
            for (int i = 0; i < 40; i++) {
                byte[] line = ("job " + job.id() + " line " + i + " " + "#".repeat(i * 7) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                expected.writeBytes(line);
                uploader.append(line);
                if (i % 2 == 0) {
                    uploader.tick();
                }
            }

            TraceUploader.FinalResult result = uploader.finish(
                    j == 1 ? JobUpdate.failed("script_failure", 3, null, 0) : JobUpdate.success(null, 0));

            assertThat(result.outcome()).isEqualTo(TraceUploader.FinalOutcome.ACCEPTED);
            assertThat(gitlab.trace(job.id())).isEqualTo(expected.toByteArray());
            TestGitLab.JobView view = gitlab.job(job.id());
            assertThat(view.finalUpdates()).isEqualTo(1);
            assertThat(view.state()).isEqualTo(j == 1 ? TestGitLab.State.FAILED : TestGitLab.State.SUCCESS);
        }
        List<RecordedRequest> all = gitlab.requests();
        assertThat(all).anySatisfy(r -> assertThat(r.fault()).isEqualTo(FaultPlan.Fault.ERROR));
        assertThat(all).anySatisfy(r -> assertThat(r.fault()).isEqualTo(FaultPlan.Fault.TIMEOUT));
    }
}
