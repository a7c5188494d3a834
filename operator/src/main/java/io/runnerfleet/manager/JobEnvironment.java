package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.gitlab.client.GitLabClient;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.manager.trace.LogFiles;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * What every job of one runner entry shares: the clients, the runner's settings, where Job Pods go, and the
 * manager's own bookkeeping.
 *
 * @param podLookup the informer's view of a Job Pod by name (null when it is gone)
 */
public record JobEnvironment(
        KubernetesClient kubernetes,
        JobPods pods,
        Function<String, Pod> podLookup,
        GitLabClient gitlab,
        RunnerEntry runner,
        JobPodContext podContext,
        ManagerIdentity identity,
        ManagerMetrics metrics,
        RunningJobs running,
        ScheduledExecutorService scheduler,
        TraceUploader.Options uploaderOptions,
        ManagerTimings timings,
        Clock clock,
        String version,
        LogFiles logFiles) {

    public static Builder builder() {
        return new Builder();
    }

    /** Every component is required; building without one fails at once rather than in the first job. */
    public static final class Builder {
        private KubernetesClient kubernetes;
        private JobPods pods;
        private Function<String, Pod> podLookup;
        private GitLabClient gitlab;
        private RunnerEntry runner;
        private JobPodContext podContext;
        private ManagerIdentity identity;
        private ManagerMetrics metrics;
        private RunningJobs running;
        private ScheduledExecutorService scheduler;
        private TraceUploader.Options uploaderOptions;
        private ManagerTimings timings;
        private Clock clock;
        private String version;
        private LogFiles logFiles;

        private Builder() {}

        public Builder logFiles(LogFiles value) {
            this.logFiles = value;
            return this;
        }

        public Builder kubernetes(KubernetesClient value) {
            this.kubernetes = value;
            return this;
        }

        public Builder pods(JobPods value) {
            this.pods = value;
            return this;
        }

        public Builder podLookup(Function<String, Pod> value) {
            this.podLookup = value;
            return this;
        }

        public Builder gitlab(GitLabClient value) {
            this.gitlab = value;
            return this;
        }

        public Builder runner(RunnerEntry value) {
            this.runner = value;
            return this;
        }

        public Builder podContext(JobPodContext value) {
            this.podContext = value;
            return this;
        }

        public Builder identity(ManagerIdentity value) {
            this.identity = value;
            return this;
        }

        public Builder metrics(ManagerMetrics value) {
            this.metrics = value;
            return this;
        }

        public Builder running(RunningJobs value) {
            this.running = value;
            return this;
        }

        public Builder scheduler(ScheduledExecutorService value) {
            this.scheduler = value;
            return this;
        }

        public Builder uploaderOptions(TraceUploader.Options value) {
            this.uploaderOptions = value;
            return this;
        }

        public Builder timings(ManagerTimings value) {
            this.timings = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder version(String value) {
            this.version = value;
            return this;
        }

        public JobEnvironment build() {
            return new JobEnvironment(
                    Objects.requireNonNull(kubernetes, "kubernetes"),
                    Objects.requireNonNull(pods, "pods"),
                    Objects.requireNonNull(podLookup, "podLookup"),
                    Objects.requireNonNull(gitlab, "gitlab"),
                    Objects.requireNonNull(runner, "runner"),
                    Objects.requireNonNull(podContext, "podContext"),
                    Objects.requireNonNull(identity, "identity"),
                    Objects.requireNonNull(metrics, "metrics"),
                    Objects.requireNonNull(running, "running"),
                    Objects.requireNonNull(scheduler, "scheduler"),
                    Objects.requireNonNull(uploaderOptions, "uploaderOptions"),
                    Objects.requireNonNull(timings, "timings"),
                    Objects.requireNonNull(clock, "clock"),
                    Objects.requireNonNull(version, "version"),
                    Objects.requireNonNull(logFiles, "logFiles"));
        }
    }
}
