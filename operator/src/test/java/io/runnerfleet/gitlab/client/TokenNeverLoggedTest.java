package io.runnerfleet.gitlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TokenNeverLoggedTest {
    private final Clients clients = new Clients();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger logger;
    private Level previousLevel;
    private TestGitLab gitlab;

    @BeforeEach
    void capture() {
        logger = (Logger) LoggerFactory.getLogger("io.runnerfleet.gitlab");
        previousLevel = logger.getLevel();
        logger.setLevel(Level.TRACE);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        if (gitlab != null) {
            gitlab.close();
        }
    }

    @Test
    void noRunnerOrJobTokenAppearsInAnyLogLine() {
        gitlab = TestGitLab.builder()
                .faults(FaultPlan.flaky(7, 0.3, Duration.ofMillis(300), "patch_trace", "update_job"))
                .start();
        GitLabClient client = clients.client(gitlab, Duration.ofMillis(100), Duration.ofSeconds(5));
        String wrongRunnerToken = "glrt-t1_WrongRunnerTokenZZ9999";
        TestJob job = TestJob.builder().build();
        gitlab.enqueue(job);

        client.verify(TestGitLab.RUNNER_TOKEN);
        client.verify(wrongRunnerToken);
        client.requestJob(wrongRunnerToken, null);
        JobRequestResult received = client.requestJob(TestGitLab.RUNNER_TOKEN, null);
        client.requestJob(TestGitLab.RUNNER_TOKEN, null);
        TraceUploader uploader = new TraceUploader(client, job.id(), job.token(), clients.uploaderOptions());
        uploader.append("Cloning " + job.node().get("git_info").get("repo_url").asText() + "\n");
        uploader.flush();
        client.patchTrace(job.id(), job.token(), "stale".getBytes(), 0);
        client.patchTrace(job.id(), "glcbt-64_WrongJobToken", "x".getBytes(), 0);
        gitlab.corruptTrace(job.id());
        uploader.append("done\n");
        uploader.finish(JobUpdate.success(null, 0));
        client.updateJob(job.id(), job.token(), JobUpdate.running(null, 0));

        List<String> logged = new ArrayList<>();
        for (ILoggingEvent event : appender.list) {
            logged.add(event.getFormattedMessage());
            logged.add(String.valueOf(event.getMDCPropertyMap()));
            if (event.getThrowableProxy() != null) {
                logged.add(event.getThrowableProxy().getMessage());
            }
        }
        assertThat(appender.list).hasSizeGreaterThan(10);
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("job received"));
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("repo_url=https://gitlab.example.com/"));
        for (String secret :
                List.of(TestGitLab.RUNNER_TOKEN, wrongRunnerToken, job.token(), "glcbt-64_WrongJobToken")) {
            assertThat(logged).noneSatisfy(line -> assertThat(line).contains(secret));
        }
        assertThat(received.toString()).doesNotContain(job.token());
    }

    @Test
    void redactionMasksTokensAndUrlCredentials() {
        assertThat(JobTokenRedaction.redact("clone https://gitlab-ci-token:abc123@gitlab.example.com/a/b.git"))
                .isEqualTo("clone https://[MASKED]@gitlab.example.com/a/b.git");
        assertThat(JobTokenRedaction.redact("token glrt-t1_Secret99 and glcbt-64_xyz"))
                .isEqualTo("token [MASKED] and [MASKED]");
        assertThat(JobTokenRedaction.redact("opaque s3cr3t here", "s3cr3t")).isEqualTo("opaque [MASKED] here");
        assertThat(JobTokenRedaction.cleanUrl("https://u:p@gitlab.example.com/x.git"))
                .isEqualTo("https://gitlab.example.com/x.git");
    }
}
