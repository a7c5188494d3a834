package io.runnerfleet.gitlab.client;

import io.runnerfleet.testing.gitlab.TestGitLab;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fast clients for tests: short timeouts and back-off, calls recorded. */
final class Clients {
    static final String SYSTEM_ID = "r_0123456789ab";

    final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    GitLabClient client(TestGitLab gitlab) {
        return client(gitlab, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    GitLabClient client(TestGitLab gitlab, Duration callTimeout, Duration requestJobTimeout) {
        return new GitLabClient(GitLabClientConfig.builder(gitlab.url() + "/")
                .systemId(SYSTEM_ID)
                .callTimeout(callTimeout)
                .requestJobTimeout(requestJobTimeout)
                .backoff(Duration.ofMillis(2), Duration.ofMillis(20))
                .listener(calls::add)
                .build());
    }

    /** Uploader options whose waits are recorded, not slept (1 ms). */
    TraceUploader.Options uploaderOptions() {
        return TraceUploader.Options.defaults().withSleeper(d -> {
            sleeps.add(d);
            Thread.sleep(1);
        });
    }
}
