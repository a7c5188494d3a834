package io.runnerfleet.jobpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.gitlab.job.ReceivedJob;
import io.runnerfleet.testing.Examples;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobPayloadReaderTest {

    @Test
    void readsTheExamplesWithEveryField() {
        JobPayload job = JobPayloadReader.read(Examples.path("jobs/mysql-redis-test.json"));
        assertThat(job.id()).isEqualTo(4713);
        assertThat(job.jobInfo().projectFullPath()).isEqualTo("acme/myapp");
        assertThat(job.gitInfo().refspecs()).containsExactly("+refs/heads/main:refs/remotes/origin/main");
        assertThat(job.services()).hasSize(2);
        assertThat(job.services().get(0).variables()).extracting(v -> v.key()).contains("HEALTHCHECK_TCP_PORT");
        assertThat(job.artifacts().get(0).when()).isEqualTo("always");
        assertThat(job.cache().get(0).key()).isEqualTo("pip-main");
        assertThat(job.step("after_script")).isPresent();
        assertThat(job.timeoutSeconds()).isEqualTo(3600);
        assertThat(JobPayloadReader.read(Examples.path("jobs/kubectl-deploy.json"))
                        .dependencies()
                        .get(0)
                        .hasArtifacts())
                .isTrue();
    }

    @Test
    void unknownFieldsAreIgnored() {
        ObjectNode job = TestJobs.minimal();
        job.put("a_field_from_gitlab_19", "x");
        job.withObject("git_info").put("repo_object_format", "sha256");
        assertThat(TestJobs.read(job).id()).isEqualTo(100);
    }

    @Test
    void aMissingRequiredFieldIsNamedByItsPath() {
        ObjectNode job = TestJobs.minimal();
        job.withObject("git_info").remove("sha");
        assertThatThrownBy(() -> TestJobs.read(job))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("test job: git_info.sha");
        ObjectNode noId = TestJobs.minimal();
        noId.remove("id");
        assertThatThrownBy(() -> TestJobs.read(noId)).hasMessageContaining("id").hasMessageContaining("required");
        ObjectNode emptyToken = TestJobs.minimal().put("token", "");
        assertThatThrownBy(() -> TestJobs.read(emptyToken)).hasMessageContaining("token: is required");
    }

    @Test
    void wrongTypesAndBrokenJsonNameTheFileAndPlace() {
        ObjectNode job = TestJobs.minimal();
        job.withObject("runner_info").put("timeout", "an hour");
        assertThatThrownBy(() -> TestJobs.read(job))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runner_info.timeout");
        assertThatThrownBy(() -> JobPayloadReader.read("job.json", "{\"id\": 1,"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("job.json")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> JobPayloadReader.read(Path.of("no/such/job.json")))
                .hasMessageContaining("no/such/job.json")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aReceivedJobIsReadOrSaysWhyNotWithTheIdAndTokenItStillHas() {
        String json = TestJobs.minimal().toString();
        assertThat(JobPayloadReader.readReceived(json)).isInstanceOfSatisfying(ReceivedJob.Readable.class, readable -> {
            assertThat(readable.job().id()).isEqualTo(100);
            assertThat(readable.json()).isEqualTo(json);
        });

        ObjectNode noSha = TestJobs.minimal();
        noSha.withObject("git_info").put("sha", "");
        assertThat(JobPayloadReader.readReceived(noSha.toString()))
                .isEqualTo(new ReceivedJob.Unreadable(
                        100L, TestJobs.TOKEN, "job 100: git_info.sha: is required and must not be empty"));

        assertThat(JobPayloadReader.readReceived("{\"id\": 1,"))
                .isInstanceOfSatisfying(ReceivedJob.Unreadable.class, unreadable -> {
                    assertThat(unreadable.id()).isNull();
                    assertThat(unreadable.token()).isNull();
                    assertThat(unreadable.problem()).startsWith("job: (json): is not valid JSON");
                });
    }

    @Test
    void theTokenIsNeverInAnErrorMessage() {
        ObjectNode job = TestJobs.minimal();
        job.put("steps", TestJobs.TOKEN);
        assertThatThrownBy(() -> TestJobs.read(job)).hasMessageNotContaining(TestJobs.TOKEN);
    }
}
