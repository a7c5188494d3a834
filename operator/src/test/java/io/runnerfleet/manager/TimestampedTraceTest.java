package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FF_TIMESTAMPS on the manager: gitlab-runner's default (on), and a job's FF_TIMESTAMPS=false turning it off. */
class TimestampedTraceTest {
    private static final String HEADER = "(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z 0[01]O[ +].*";
    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private String run(TestJob job) {
        harness.kubelet.scenario(job.id(), Scenarios.success());
        harness.startManager("shop-manager-a", harness.config(10, 30, 4096, Map.of()));
        harness.gitlab.enqueue(job);
        harness.awaitDone(job.id(), Duration.ofSeconds(30));
        assertThat(harness.gitlab.job(job.id()).state()).isEqualTo(TestGitLab.State.SUCCESS);
        return harness.gitlab.traceText(job.id());
    }

    @Test
    void byDefaultEveryLineOfTheTraceHasGitLabRunnersTimestampHeader() {
        String trace = run(TestJob.builder(6201).build());
        assertThat(Arrays.asList(trace.split("\n"))).isNotEmpty().allMatch(line -> line.matches(HEADER));
        assertThat(trace).contains(" 00O \033[0KRunning with runner-fleet").contains(" 01O ");
    }

    @Test
    void aJobsFfTimestampsFalseTurnsThemOff() {
        String trace = run(TestJob.builder(6202)
                .variable("FF_TIMESTAMPS", "false", true, false)
                .build());
        assertThat(trace).startsWith("\033[0KRunning with runner-fleet");
        assertThat(Arrays.asList(trace.split("\n"))).noneMatch(line -> line.matches(HEADER));
    }
}
