package io.runnerfleet.testing.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test GitLab itself, spoken to with plain HTTP, so that its strictness does not depend on our client. */
class TestGitLabTest {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TestGitLab gitlab = TestGitLab.start();

    @AfterEach
    void stop() {
        gitlab.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> patch(TestJob job, String contentRange, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(gitlab.url() + "/api/v4/jobs/" + job.id() + "/trace"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("JOB-TOKEN", job.token())
                .header("Content-Type", "text/plain");
        if (contentRange != null) {
            request.header("Content-Range", contentRange);
        }
        return send(request);
    }

    private TestJob handedOut() throws Exception {
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/jobs/request"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TestGitLab.RUNNER_TOKEN + "\"}"))
                .header("Content-Type", "application/json"));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo(job.json());
        return job;
    }

    @Test
    void rejectsAWrongContentRange() throws Exception {
        TestJob job = handedOut();

        assertThat(patch(job, null, "abc").statusCode()).isEqualTo(400);
        assertThat(patch(job, "bytes 0-2", "abc").statusCode()).isEqualTo(400);
        assertThat(patch(job, "0-3", "abc").statusCode())
                .as("end must be inclusive")
                .isEqualTo(400);
        HttpResponse<String> ahead = patch(job, "5-7", "abc");
        assertThat(ahead.statusCode()).isEqualTo(416);
        assertThat(ahead.headers().firstValue("Range")).contains("0-0");

        HttpResponse<String> ok = patch(job, "0-2", "abc");
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(ok.headers().firstValue("Range")).contains("0-3");
        assertThat(ok.headers().firstValue("Job-Status")).contains("pending");
        assertThat(ok.headers().firstValue("X-GitLab-Trace-Update-Interval")).contains("3");

        HttpResponse<String> replay = patch(job, "0-2", "abc");
        assertThat(replay.statusCode()).isEqualTo(416);
        assertThat(replay.headers().firstValue("Range")).contains("0-3");
        assertThat(gitlab.traceText(job.id())).isEqualTo("abc");
        assertThat(gitlab.job(job.id()).patches()).isEqualTo(6);
    }

    @Test
    void patchAndPutNeedTheJobToken() throws Exception {
        TestJob job = handedOut();
        HttpResponse<String> patch =
                send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/jobs/" + job.id() + "/trace"))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("abc"))
                        .header("JOB-TOKEN", "glcbt-64_wrong")
                        .header("Content-Range", "0-2"));
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/jobs/" + job.id()))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"token\":\"glcbt-64_wrong\",\"state\":\"running\"}")));

        assertThat(patch.statusCode()).isEqualTo(403);
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(gitlab.traceText(job.id())).isEmpty();
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.PENDING);
    }

    @Test
    void aQueuedJobCanceledBeforePickUpIsNeverHandedOut() throws Exception {
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);
        gitlab.cancel(job.id());

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/jobs/request"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + TestGitLab.RUNNER_TOKEN + "\"}")));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("X-GitLab-Last-Update")).contains(gitlab.lastUpdate());
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.CANCELED);
        assertThat(gitlab.requests()).hasSize(1);
    }

    private HttpResponse<String> put(TestJob job, String state) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/jobs/" + job.id()))
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"token\":\"" + job.token() + "\",\"state\":\"" + state + "\"}")));
    }

    @Test
    void aRateLimitedCallIs429WithRetryAfterAndNotProcessed() throws Exception {
        TestJob job = handedOut();
        gitlab.setFaults(FaultPlan.only(1, FaultPlan.Fault.RATE_LIMITED, 1.0, Duration.ZERO, "patch_trace"));

        HttpResponse<String> limited = patch(job, "0-2", "abc");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(gitlab.traceText(job.id())).isEmpty();
    }

    @Test
    void aJobPutConflictIs409AndNotProcessedWhileTracePatchesGoThrough() throws Exception {
        TestJob job = handedOut();
        gitlab.setFaults(FaultPlan.only(1, FaultPlan.Fault.CONFLICT, 1.0, Duration.ZERO, "update_job", "patch_trace"));

        assertThat(patch(job, "0-2", "abc").statusCode())
                .as("409 is for job PUTs only")
                .isEqualTo(202);
        assertThat(put(job, "success").statusCode()).isEqualTo(409);
        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.PENDING);
        assertThat(gitlab.job(job.id()).finalUpdates()).isZero();
    }

    @Test
    void aResetCutsTheAnswerAfterGitLabProcessedTheCall() throws Exception {
        TestJob job = handedOut();
        assertThat(patch(job, "0-2", "abc").statusCode()).isEqualTo(202);
        gitlab.setFaults(FaultPlan.only(1, FaultPlan.Fault.RESET, 1.0, Duration.ZERO, "update_job", "patch_trace"));

        assertThatThrownBy(() -> put(job, "success")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> patch(job, "3-5", "def")).isInstanceOf(IOException.class);

        assertThat(gitlab.state(job.id())).isEqualTo(TestGitLab.State.SUCCESS);
        gitlab.setFaults(FaultPlan.NONE);
        HttpResponse<String> again = put(job, "success");
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.headers().firstValue("Job-Status")).contains("success");
    }

    @Test
    void aRangeLossDropsTheTraceEndAndTellsItsShorterLength() throws Exception {
        TestJob job = handedOut();
        assertThat(patch(job, "0-7", "abcdefgh").statusCode()).isEqualTo(202);
        gitlab.setFaults(FaultPlan.only(1, FaultPlan.Fault.RANGE_LOSS, 1.0, Duration.ZERO, "patch_trace"));

        HttpResponse<String> lost = patch(job, "8-9", "ij");

        assertThat(lost.statusCode()).isEqualTo(416);
        assertThat(lost.headers().firstValue("Range")).contains("0-4");
        assertThat(gitlab.traceText(job.id())).isEqualTo("abcd");
        assertThat(gitlab.job(job.id()).tracesLost()).isEqualTo(1);
        gitlab.setFaults(FaultPlan.NONE);
        assertThat(patch(job, "4-9", "efghij").statusCode()).isEqualTo(202);
        assertThat(gitlab.traceText(job.id())).isEqualTo("abcdefghij");
    }

    @Test
    void aFaultThatCannotHappenOnAnEndpointGivesItsShareToTheOthers() {
        FaultPlan plan = FaultPlan.unreliableGitLab(1, 0.6, Duration.ofSeconds(10), 2);

        // request_job can draw ERROR, SLOW and RATE_LIMITED only: each takes a third of the 60 %.
        assertThat(plan.draw("request_job", 0.19)).isEqualTo(FaultPlan.Fault.ERROR);
        assertThat(plan.draw("request_job", 0.21)).isEqualTo(FaultPlan.Fault.SLOW);
        assertThat(plan.draw("request_job", 0.59)).isEqualTo(FaultPlan.Fault.RATE_LIMITED);
        assertThat(plan.draw("request_job", 0.61)).isEqualTo(FaultPlan.Fault.NONE);
        assertThat(plan.draw("patch_trace", 0.59)).isEqualTo(FaultPlan.Fault.RANGE_LOSS);
        assertThat(plan.draw("update_job", 0.59)).isEqualTo(FaultPlan.Fault.CONFLICT);
        assertThat(plan.draw("reset_token", 0.01)).isEqualTo(FaultPlan.Fault.NONE);
    }

    @Test
    void theJobBuilderMakesAPayloadShapedLikeGitlabs() {
        TestJob job = TestJob.builder(4711)
                .name("integration")
                .image("maven:3.9")
                .service("postgres:16", "db")
                .afterScript("make clean")
                .timeoutSeconds(600)
                .variable("DB_PASSWORD", "pw", false, true)
                .build();

        assertThat(job.id()).isEqualTo(4711);
        assertThat(job.node().at("/job_info/name").asText()).isEqualTo("integration");
        assertThat(job.node().at("/git_info/repo_url").asText()).contains("gitlab-ci-token:" + job.token() + "@");
        assertThat(job.node().at("/runner_info/timeout").asInt()).isEqualTo(600);
        assertThat(job.node().at("/steps/0/name").asText()).isEqualTo("script");
        assertThat(job.node().at("/steps/1/name").asText()).isEqualTo("after_script");
        assertThat(job.node().at("/services/0/alias").asText()).isEqualTo("db");
        assertThat(job.node().at("/features/failure_reasons").size()).isGreaterThan(5);
        assertThat(job.node().at("/variables").size()).isEqualTo(3);
    }
}
