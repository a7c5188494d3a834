package io.runnerfleet.manager;

import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.gitlab.client.GitLabClientConfig;
import io.runnerfleet.gitlab.client.TraceUploader;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * How a manager runs, beyond config.toml: timings, the trace uploader's intervals, extra GitLab client settings
 * and where /metrics listens. {@link #defaults()} is production; tests shorten things.
 *
 * @param listenAddress overrides config.toml's {@code listen_address} when not null (tests use ":0")
 * @param cacheKeys     the shared cache's keys from the manager's environment (read by the CLI, never logged)
 */
public record ManagerOptions(
        ManagerTimings timings,
        TraceUploader.Options uploader,
        UnaryOperator<GitLabClientConfig.Builder> gitlab,
        String listenAddress,
        Clock clock,
        CacheCredentialsEnv.S3Keys cacheKeys) {

    public ManagerOptions {
        cacheKeys = cacheKeys == null ? CacheCredentialsEnv.S3Keys.NONE : cacheKeys;
    }

    public static ManagerOptions defaults() {
        return new ManagerOptions(
                ManagerTimings.defaults(), TraceUploader.Options.defaults(), b -> b, null, Clock.systemUTC(), null);
    }
}
