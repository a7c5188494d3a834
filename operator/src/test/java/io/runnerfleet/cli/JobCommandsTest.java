package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.Examples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render --job} and {@code explain}: output, and exit 2 with a message naming the file for bad jobs. */
class JobCommandsTest {
    static final String SEED = Examples.path("seed-fleet.yaml").toString();
    static final String DOCKER_BUILD = Examples.path("jobs/docker-build.json").toString();

    @TempDir
    Path dir;

    @Test
    void renderWithAJobAddsThePodAndTheRedactedSecretAfterTheFleetsObjects() {
        Cli.Result result = Cli.run("render", "-f", SEED, "--job", DOCKER_BUILD);
        assertThat(result.exitCode()).as(result.err()).isZero();
        String out = result.out();
        assertThat(out.indexOf("kind: Deployment")).isPositive().isLessThan(out.indexOf("\nkind: Pod\n"));
        assertThat(out)
                .contains("name: build-fleet-job-4711", "job-token: <redacted>", "var.REGISTRY_PASSWORD: <redacted>");
        String token =
                JobPayloadReader.read(Examples.path("jobs/docker-build.json")).token();
        assertThat(out).doesNotContain(token).doesNotContain("s3cr3t-Registry-Passw0rd");
        assertThat(Cli.run("render", "-f", SEED).out()).doesNotContain("\nkind: Pod\n");
    }

    @Test
    void explainPrintsCapacityTotalsAndDns() {
        Cli.Result result = Cli.run("explain", "-f", SEED, "--job", DOCKER_BUILD);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("= 30 jobs at once", "limits 4.5 CPU and 4.5Gi", "dockerd in docker");
        assertThat(Cli.run("explain", "-f", SEED).exitCode()).isZero();
    }

    @Test
    void aBrokenJobFileExitsTwoNamingTheFileAndField() throws IOException {
        Path job = dir.resolve("job.json");
        Files.writeString(job, "{\"id\": 1, \"token\": \"t\", \"job_info\": {\"project_id\": 1}, \"steps\": []}");
        for (String command : new String[] {"render", "explain"}) {
            Cli.Result result = Cli.run(command, "-f", SEED, "--job", job.toString());
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err())
                    .contains(job.toString())
                    .contains("git_info")
                    .doesNotContain("Exception");
            assertThat(result.out()).isEmpty();
        }
        Files.writeString(job, "{not json");
        assertThat(Cli.run("render", "-f", SEED, "--job", job.toString()).err()).contains("not valid JSON");
    }

    @Test
    void aJobTheFleetCannotRunExitsTwoWithTheReason() throws IOException {
        Path job = dir.resolve("job.json");
        Files.writeString(
                job,
                Files.readString(Examples.path("jobs/docker-build.json"))
                        .replace("\"alias\": \"docker\"", "\"alias\": \"Docker_Daemon\""));
        Cli.Result result = Cli.run("render", "-f", SEED, "--job", job.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(job.toString()).contains("alias \"Docker_Daemon\"");
        assertThat(result.out()).isEmpty();
    }
}
