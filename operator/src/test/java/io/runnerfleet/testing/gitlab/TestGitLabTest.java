package io.runnerfleet.testing.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
