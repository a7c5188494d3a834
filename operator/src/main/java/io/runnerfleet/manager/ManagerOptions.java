package io.runnerfleet.manager;

import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.gitlab.client.GitLabClientConfig;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.manager.trace.LogFiles;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * How a manager runs, beyond config.toml: timings, the trace uploader's intervals, extra GitLab client settings
 * and where /metrics listens. {@link #defaults()} is production; tests shorten things.
 *
 * @param listenAddress overrides config.toml's {@code listen_address} when not null (tests use ":0")
 * @param cacheKeys     the shared cache's keys from the manager's environment (read by the CLI, never logged)
 * @param logFiles      where a Job Pod's build log file is read when the kubelet's log has a gap; null: through
 *                      {@code pods/exec} in the helper ({@link io.runnerfleet.manager.trace.KubernetesLogFiles})
 */
public record ManagerOptions(
        ManagerTimings timings,
        TraceUploader.Options uploader,
        UnaryOperator<GitLabClientConfig.Builder> gitlab,
        String listenAddress,
        Clock clock,
        CacheCredentialsEnv.S3Keys cacheKeys,
        LogFiles logFiles) {

    public ManagerOptions {
        cacheKeys = cacheKeys == null ? CacheCredentialsEnv.S3Keys.NONE : cacheKeys;
    }

    public ManagerOptions(
            ManagerTimings timings,
            TraceUploader.Options uploader,
            UnaryOperator<GitLabClientConfig.Builder> gitlab,
            String listenAddress,
            Clock clock,
            CacheCredentialsEnv.S3Keys cacheKeys) {
        this(timings, uploader, gitlab, listenAddress, clock, cacheKeys, null);
    }

    /** The same options with the build log files read by {@code files} (tests: a simulated pod). */
    public ManagerOptions withLogFiles(LogFiles files) {
        return new ManagerOptions(timings, uploader, gitlab, listenAddress, clock, cacheKeys, files);
    }

    public static ManagerOptions defaults() {
        return new ManagerOptions(
                ManagerTimings.defaults(), TraceUploader.Options.defaults(), b -> b, null, Clock.systemUTC(), null);
    }
}
