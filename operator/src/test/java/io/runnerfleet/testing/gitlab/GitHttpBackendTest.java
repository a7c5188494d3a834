package io.runnerfleet.testing.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test GitLab serves repositories to real {@code git} over smart HTTP, shallow fetches included. */
class GitHttpBackendTest {
    @TempDir
    Path tmp;

    @Test
    void realGitClonesAShallowCheckoutOverHttpWithJobTokenCredentials() throws Exception {
        TestRepository repo = TestRepository.create(
                tmp.resolve("repos"), "acme/shop", "main", Map.of("README.md", "hello\n", "src/app.sh", "echo app\n"));
        try (TestGitLab gitlab =
                TestGitLab.builder().repositories(tmp.resolve("repos")).start()) {
            String url = gitlab.repositoryUrl("acme/shop").replace("http://", "http://gitlab-ci-token:secret@");
            Path clone = tmp.resolve("clone");
            Process git = new ProcessBuilder(
                            "git", "clone", "-q", "--depth", "1", "--branch", "main", url, clone.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(git.exitValue()).as(output).isZero();

            assertThat(Files.readString(clone.resolve("src/app.sh"))).isEqualTo("echo app\n");
            Process head = new ProcessBuilder("git", "-C", clone.toString(), "rev-parse", "HEAD").start();
            assertThat(new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(repo.sha());
        }
    }
}
