package io.runnerfleet.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.runnerfleet.gitlab.client.GitLabClient;
import io.runnerfleet.gitlab.client.GitLabClientConfig;
import io.runnerfleet.gitlab.client.JobRequestResult;
import io.runnerfleet.gitlab.client.JobUpdate;
import io.runnerfleet.gitlab.client.RunnerInfo;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.manager.trace.ContainerLogFollower;
import io.runnerfleet.manager.trace.ContainerRunState;
import io.runnerfleet.manager.trace.FollowResult;
import io.runnerfleet.manager.trace.KubernetesLogStreams;
import io.runnerfleet.manager.trace.TraceContainer;
import io.runnerfleet.manager.trace.TracePreamble;
import io.runnerfleet.manager.trace.TraceWriter;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Log throughput: one job's build container has written N MB; the manager's log path as {@link
 * io.runnerfleet.manager.JobRun} runs it — {@link KubernetesLogStreams} through the fabric8 client for the first
 * 2 MiB, then the build's copy in {@code /builds} in 4 MiB reads ({@link GeneratedLogCopy}, as a real job past
 * {@code ContainerLogFollower.READ_FROM_COPY_AFTER_BYTES}), {@link ContainerLogFollower}, {@link TraceWriter} (UTF-8 check, secret masking with a masked variable and GitLab's token
 * prefixes, output limit), {@link TraceUploader} PATCHing the trace to the test GitLab every 3 s and the final PUT
 * with the checksum — from the first byte to GitLab accepting the final update. The log is served by {@link
 * GeneratedLogServer}, not the mock API server (see there why). {@code output_limit} is raised to 256 MiB so the
 * whole log reaches the trace. Heap figures are this JVM's while the job runs; the test GitLab keeps only a checksum
 * of the trace, so they are the manager's side.
 */
public final class LogThroughputBenchmark implements Benchmark {
    static final int OUTPUT_LIMIT_KIB = 256 * 1024;
    static final String SECRET = "s3cr3t-Deploy-Password-9f8e7d";

    @Override
    public String name() {
        return "log";
    }

    /** One run's outcome; trace is what GitLab assembled, when asked to keep it. */
    // A carrier, never compared or hashed: identity equals() of the array does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    record Run(
            long textBytes,
            double seconds,
            long traceBytes,
            long heapBaseline,
            long heapPeak,
            long heapLive,
            long collections,
            long copyBytes,
            byte[] trace) {
        double megabytesPerSecond() {
            return textBytes / 1e6 / seconds;
        }
    }

    @Override
    public void run(BenchSize size, Figures out) throws Exception {
        run(Math.max(1, size.logMegabytes() / 10), false); // warm-up, not counted
        List<Double> rates = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        List<Double> lives = new ArrayList<>();
        List<Double> rawRates = new ArrayList<>();
        List<Double> uploadRates = new ArrayList<>();
        long baseline = 0;
        for (int i = 0; i < size.logRuns(); i++) {
            // The baselines of the same run, measured right before each run so all see the same machine load.
            rawRates.add(rawCopyMegabytesPerSecond(size.logMegabytes()));
            uploadRates.add(rawCopyAndUploadMegabytesPerSecond(size.logMegabytes()));
            Run run = run(size.logMegabytes(), false);
            rates.add(run.megabytesPerSecond());
            peaks.add(run.heapPeak() / 1e6);
            lives.add(run.heapLive() / 1e6);
            baseline = Math.max(baseline, run.heapBaseline());
        }
        out.add("log_throughput_median", Stats.median(rates), "MB/s");
        out.add("log_throughput_worst", Stats.min(rates), "MB/s");
        out.add("log_raw_copy_throughput_median", Stats.median(rawRates), "MB/s");
        out.add("log_throughput_ratio_to_raw_copy", Stats.median(rates) / Stats.median(rawRates), "x");
        out.add("log_raw_copy_and_upload_throughput_median", Stats.median(uploadRates), "MB/s");
        out.add("log_throughput_ratio_to_raw_copy_and_upload", Stats.median(rates) / Stats.median(uploadRates), "x");
        out.add("log_job_output", size.logMegabytes(), "MB");
        out.add("log_heap_baseline", baseline / 1e6, "MB");
        out.add("log_heap_live_high_water_max", Stats.max(lives), "MB");
        out.add("log_heap_peak_used_max", Stats.max(peaks), "MB");
        out.add("log_runs", size.logRuns(), "runs");
        // The same job with gitlab-runner's default output_limit (4 MiB): the trace is cut, the log still read whole.
        Run limited = run(size.logMegabytes(), false, 0);
        out.add("log_default_limit_throughput", limited.megabytesPerSecond(), "MB/s");
        out.add("log_default_limit_heap_live_high_water", limited.heapLive() / 1e6, "MB");
        // A build whose image cannot tee keeps no copy: the kubelet's stream all the way (issue #16's first figures).
        Run streamOnly = run(size.logMegabytes(), false, OUTPUT_LIMIT_KIB, false);
        out.add("log_stream_only_throughput", streamOnly.megabytesPerSecond(), "MB/s");
        out.add("log_stream_only_heap_live_high_water", streamOnly.heapLive() / 1e6, "MB");
    }

    /**
     * The same run's baseline: the same generated log's bytes as the measured run gets them, read to their end and
     * dropped, with no line splitting, masking or upload: the copy's reads ({@link GeneratedLogCopy}), which carry all
     * but the first 2 MiB, from byte 0. What the log path costs beyond it is the manager's own work; the ratio to it
     * cancels most of the machine's load.
     */
    static double rawCopyMegabytesPerSecond(int megabytes) throws Exception {
        long lines = megabytes * 1_000_000L / GeneratedLogServer.LINE_BYTES;
        try (GeneratedLogServer logs = new GeneratedLogServer(lines, SECRET)) {
            GeneratedLogCopy copy = new GeneratedLogCopy(logs);
            long start = System.nanoTime();
            long read = 0;
            int n;
            do {
                n = copy.read(TraceContainer.BUILD, read).bytes().length;
                read += n;
            } while (n > 0);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (read < logs.textBytes()) {
                throw new IllegalStateException("the raw copy read " + read + " bytes, fewer than the log's text");
            }
            return logs.textBytes() / 1e6 / seconds;
        }
    }

    /**
     * The second baseline of the same run: the copy's bytes read as in {@link #rawCopyMegabytesPerSecond} and each
     * chunk appended as it is to a {@link TraceUploader} that sends it to the test GitLab as the measured run does
     * (its loop's PATCHes, then the final update): the bytes moved in and out, with no line splitting, masking or
     * output limit. The measured path sends its trace too, so this is the bound the ratio to it is read against.
     */
    static double rawCopyAndUploadMegabytesPerSecond(int megabytes) throws Exception {
        long lines = megabytes * 1_000_000L / GeneratedLogServer.LINE_BYTES;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (TestGitLab gitlab = startGitLab(false);
                GeneratedLogServer logs = new GeneratedLogServer(lines, SECRET)) {
            TestJob job = TestJob.builder().build();
            GitLabClient client = runningJob(gitlab, job);
            GeneratedLogCopy copy = new GeneratedLogCopy(logs);
            long start = System.nanoTime();
            TraceUploader uploader = new TraceUploader(client, job.id(), job.token());
            TraceUploader.Loop ticking = uploader.start(scheduler, new TraceUploader.Listener() {});
            long read = 0;
            byte[] bytes;
            do {
                bytes = copy.read(TraceContainer.BUILD, read).bytes();
                uploader.append(bytes);
                read += bytes.length;
            } while (bytes.length > 0);
            ticking.stop();
            TraceUploader.FinalResult result = uploader.finish(JobUpdate.success(null, 0));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (result.outcome() != TraceUploader.FinalOutcome.ACCEPTED || read < logs.textBytes()) {
                throw new IllegalStateException("the copy and upload baseline did not end well: " + result);
            }
            return logs.textBytes() / 1e6 / seconds;
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static TestGitLab startGitLab(boolean keepTrace) {
        return TestGitLab.builder()
                .longPoll(Duration.ZERO)
                .updateIntervalSeconds(0)
                .keepTraces(keepTrace)
                .start();
    }

    /** Hands {@code job} out and reports it running, as a manager does before its log; the client that took it. */
    private static GitLabClient runningJob(TestGitLab gitlab, TestJob job) throws Exception {
        gitlab.enqueue(job);
        GitLabClient client = new GitLabClient(GitLabClientConfig.builder(gitlab.url())
                .runnerInfo(RunnerInfo.kubernetes())
                .build());
        if (!(client.requestJob(TestGitLab.RUNNER_TOKEN, "") instanceof JobRequestResult.JobReceived)) {
            throw new IllegalStateException("the test GitLab handed out no job");
        }
        client.updateJob(job.id(), job.token(), JobUpdate.running(TraceUploader.checksum(new byte[0]), 0));
        return client;
    }

    static Run run(int megabytes, boolean keepTrace) throws Exception {
        return run(megabytes, keepTrace, OUTPUT_LIMIT_KIB);
    }

    static Run run(int megabytes, boolean keepTrace, int outputLimitKib) throws Exception {
        return run(megabytes, keepTrace, outputLimitKib, true);
    }

    /**
     * One job of {@code megabytes} MB of output; {@code outputLimitKib} as {@code [[runners]] output_limit};
     * {@code withCopy}: the build keeps its copy in {@code /builds} (else: an image that cannot tee).
     */
    static Run run(int megabytes, boolean keepTrace, int outputLimitKib, boolean withCopy) throws Exception {
        long lines = megabytes * 1_000_000L / GeneratedLogServer.LINE_BYTES;
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (TestGitLab gitlab = startGitLab(keepTrace);
                GeneratedLogServer logs = new GeneratedLogServer(lines, SECRET);
                KubernetesClient kube = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder(Config.empty())
                                .withMasterUrl(logs.url())
                                .build())
                        .withHttpClientFactory(new JdkHttpClientFactory())
                        .build()) {
            TestJob job = TestJob.builder()
                    .variable("DEPLOY_PASSWORD", SECRET, false, true)
                    .build();
            GitLabClient client = runningJob(gitlab, job);

            TraceUploader.FinalResult result;
            long start;
            long end;
            FollowResult followed;
            try (HeapWatch heap = new HeapWatch()) {
                start = System.nanoTime();
                TraceUploader uploader = new TraceUploader(client, job.id(), job.token());
                TraceUploader.Loop ticking = uploader.start(scheduler, new TraceUploader.Listener() {});
                TraceWriter writer = TraceWriter.forJob(
                        uploader::append,
                        List.of(job.token(), SECRET),
                        List.of("glpat-", "glcbt-", "glrt-"),
                        outputLimitKib,
                        Clock.systemUTC());
                GeneratedLogCopy copy = new GeneratedLogCopy(logs);
                ContainerLogFollower follower = new ContainerLogFollower(
                        new KubernetesLogStreams(kube, "ci", "runner-shop-job"),
                        c -> ContainerRunState.TERMINATED,
                        ContainerLogFollower.Settings.defaults(),
                        withCopy ? copy : null,
                        false);
                writer.preamble(new TracePreamble("shop", "bench", "ci", "runner-shop-job"));
                followed = writer.container(TraceContainer.build(), follower);
                writer.jobSucceeded();
                writer.finish();
                ticking.stop();
                result = uploader.finish(JobUpdate.success(null, 0));
                end = System.nanoTime();
                Thread.sleep(100); // late GC notifications
                if (result.outcome() != TraceUploader.FinalOutcome.ACCEPTED
                        || gitlab.state(job.id()) != TestGitLab.State.SUCCESS) {
                    throw new IllegalStateException(
                            "the job did not end well: " + result + ", " + gitlab.state(job.id()));
                }
                if (followed.outcome() != FollowResult.Outcome.COMPLETED || followed.lines() != lines) {
                    throw new IllegalStateException("the log was not followed to its end: " + followed);
                }
                long traceBytes = gitlab.job(job.id()).traceLength();
                return new Run(
                        logs.textBytes(),
                        (end - start) / 1e9,
                        traceBytes,
                        heap.baselineBytes(),
                        heap.peakUsedBytes(),
                        heap.liveHighWaterBytes(),
                        heap.collections(),
                        copy.bytesRead(),
                        keepTrace ? gitlab.trace(job.id()) : null);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
