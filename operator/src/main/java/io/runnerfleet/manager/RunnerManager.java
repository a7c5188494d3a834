package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.config.TokenRotation;
import io.runnerfleet.diagnostics.PlaceholderJob;
import io.runnerfleet.gitlab.client.ApiCall;
import io.runnerfleet.gitlab.client.GitLabClient;
import io.runnerfleet.gitlab.client.GitLabClientConfig;
import io.runnerfleet.gitlab.client.RunnerInfo;
import io.runnerfleet.gitlab.client.VerifyResult;
import io.runnerfleet.jobpod.JobPaths;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.manager.trace.KubernetesLogFiles;
import io.runnerfleet.manager.trace.TraceContainer;
import io.runnerfleet.metrics.MetricsHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manager process: for the config's runner entry, verifies the token, serves metrics, watches its Job Pods,
 * holds its Lease and adopts dead peers' jobs, and polls GitLab. Three ways down: {@link #finishJobsAndStop()}
 * (SIGQUIT, gitlab-runner's graceful mode), {@link #handOverAndStop()} (SIGTERM: running jobs carry on under a
 * peer), and {@link #crash()} (tests: as if the process were killed).
 */
public final class RunnerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerManager.class);

    private final ManagerConfig config;
    private final RunnerEntry runner;
    private final RunnerToken token;
    private final ManagerIdentity identity;
    private final KubernetesClient kubernetes;
    private final ManagerOptions options;
    private final ManagerMetrics metrics;
    private final RunningJobs running;
    private final JobSlots slots;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService jobs;
    private final ExecutorService pollerThreads;
    private final List<JobPoller> pollers = new ArrayList<>();
    private GitLabClient gitlab;
    private JobPodInformers informer;
    private MetricsHttpServer metricsServer;
    private ManagerLease lease;
    private GitLabContact contact;
    private Adopter adopter;
    private TokenRotationLease rotationLease;
    private CapacityGate capacity = CapacityGate.off();
    private volatile boolean started;

    public RunnerManager(
            ManagerConfig config,
            RunnerToken token,
            ManagerIdentity identity,
            KubernetesClient kubernetes,
            ManagerOptions options) {
        if (config.runners().size() != 1) {
            throw new IllegalArgumentException("config.toml must have exactly one [[runners]] entry, found "
                    + config.runners().size() + "; a RunnerFleet serves one runner");
        }
        this.config = config;
        this.runner = config.runners().get(0);
        this.token = token;
        this.identity = identity;
        this.kubernetes = kubernetes;
        this.options = options;
        this.metrics = new ManagerMetrics(
                new ManagerMetrics.RunnerIdentity(token.shortId(), runner.name(), identity.systemId()),
                config.concurrent(),
                runner.limit());
        this.running = new RunningJobs(metrics);
        this.slots = new JobSlots(config.concurrent());
        this.scheduler = Executors.newScheduledThreadPool(8, daemon("manager-scheduler"));
        this.jobs = Executors.newCachedThreadPool(daemon("job"));
        this.pollerThreads = Executors.newCachedThreadPool(daemon("poller"));
    }

    /** Verifies the token (a bad one throws {@link io.runnerfleet.gitlab.client.RunnerTokenRejectedException}). */
    public void start() {
        Duration checkInterval = Duration.ofSeconds(Math.max(1, config.checkIntervalSeconds()));
        contact = new GitLabContact(checkInterval);
        ManagerTls tls = ManagerTls.of(runner.tls());
        gitlab = new GitLabClient(options.gitlab()
                .apply(GitLabClientConfig.builder(runner.url())
                        .sslContext(tls.sslContext())
                        .runnerInfo(RunnerInfo.fleetManager(BuildInfo.version(), BuildInfo.revision()))
                        .systemId(identity.systemId())
                        .listener(this::countApiCall))
                .build());
        String verifiedToken = token.value();
        VerifyResult verified = gitlab.verify(verifiedToken).orThrowIfInvalid();
        String expiresAt = null;
        if (verified instanceof VerifyResult.Verified ok) {
            expiresAt = ok.tokenExpiresAt();
            contact.verified(expiresAt, options.clock().instant());
        }
        metricsServer = startMetricsServer();

        String fleet = fleetName();
        String executorNamespace = runner.kubernetes().namespace();
        informer = JobPodInformers.start(
                kubernetes, JobPodInformers.namespaces(executorNamespace, runner.kubernetes()), fleet);
        JobEnvironment env = JobEnvironment.builder()
                .kubernetes(kubernetes)
                .pods(new JobPods(kubernetes))
                .podLookup(name -> informer.lookup(name))
                .gitlab(gitlab)
                .runner(runner)
                .podContext(new JobPodContext(
                                fleet,
                                executorNamespace,
                                runner.kubernetes(),
                                runner.environment(),
                                identity.podName(),
                                null)
                        .withRunner(JobPodContext.Runner.thisProcess(token.shortId()))
                        .withFeatureFlags(runner.featureFlags())
                        .withSettings(new JobPodContext.RunnerSettings(runner.url(), runner.sources(), tls.forJobs()))
                        // Signed again at each job's start (JobRun); the keys come from the cache Secret's env.
                        .withSharedCache(io.runnerfleet.jobpod.SharedCache.of(
                                runner.cache(),
                                options.cacheKeys().accessKey(),
                                options.cacheKeys().secretKey(),
                                java.time.Instant.EPOCH)))
                .identity(identity)
                .metrics(metrics)
                .running(running)
                .scheduler(scheduler)
                .uploaderOptions(options.uploader())
                .timings(options.timings())
                .clock(options.clock())
                // "Running with runner-fleet 0.2.0 (1a2b3c4d)", as gitlab-runner names its version and revision
                .version(BuildInfo.version() + " (" + BuildInfo.revision() + ")")
                .logFiles(
                        options.logFiles() != null
                                ? options.logFiles()
                                : (namespace, pod) -> new KubernetesLogFiles(
                                        kubernetes,
                                        namespace,
                                        pod,
                                        TraceContainer.BUILD,
                                        JobPaths.BUILD_LOG_FILE,
                                        JobPaths.EXIT_CODE_FILE))
                .build();

        lease = new ManagerLease(
                kubernetes,
                leaseNamespace(),
                fleet,
                identity.podName(),
                options.timings().leaseDuration(),
                options.clock(),
                () -> contact.report(options.clock().instant()),
                identity.ownerReferencesIn(leaseNamespace()));
        lease.renew();
        adopter = new Adopter(
                env,
                lease,
                slots,
                () -> informer.list(),
                jobs,
                List.copyOf(JobPodInformers.namespaces(executorNamespace, runner.kubernetes())));
        // Cancelled with the scheduler when the manager stops.
        ScheduledFuture<?> unused = scheduler.scheduleWithFixedDelay(
                adopter, 0, options.timings().leaseRenew().toMillis(), TimeUnit.MILLISECONDS);

        // While paused, the flag is read at each check interval (renewals alone would resume only at leaseRenew).
        ScheduledFuture<?> unusedPauseCheck = scheduler.scheduleWithFixedDelay(
                () -> {
                    if (lease.paused()) {
                        lease.refreshPaused();
                    }
                },
                checkInterval.toMillis(),
                checkInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        startTokenRotation(checkInterval, verifiedToken, expiresAt);
        // Idle managers go first on a scale-down (DeletionCost).
        ScheduledFuture<?> unusedDeletionCost = scheduler.scheduleWithFixedDelay(
                new DeletionCost(kubernetes, identity.podNamespace(), identity.podName(), running::size),
                0,
                checkInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        capacity = startCapacityGate(env);
        for (int i = 0; i < Math.max(1, runner.requestConcurrency()); i++) {
            JobPoller poller = new JobPoller(env, slots, token, checkInterval, jobs, contact, lease::paused, capacity);
            pollers.add(poller);
            pollerThreads.execute(poller);
        }
        started = true;
        LOG.info(
                "manager={} runner={} fleet={} namespace={} concurrent={} started",
                identity.podName(),
                runner.name(),
                fleet,
                executorNamespace,
                config.concurrent());
    }

    /**
     * Every manager verifies a token it reads anew (its expiry for the fleet's status); with
     * {@code token_rotation_before}, the one holding the rotation Lease also rotates ({@link TokenRotator}).
     */
    private void startTokenRotation(Duration checkInterval, String verifiedToken, String expiresAt) {
        TokenRotation rotation = runner.tokenRotation();
        TokenSecret secret = null;
        if (rotation != null) {
            rotationLease = new TokenRotationLease(
                    kubernetes,
                    leaseNamespace(),
                    fleetName(),
                    identity.podName(),
                    options.timings().leaseDuration(),
                    options.clock(),
                    identity.ownerReferencesIn(leaseNamespace()));
            secret = new TokenSecret(kubernetes, leaseNamespace(), rotation.secretName(), rotation.secretKey());
        }
        TokenRotator rotator = new TokenRotator(
                gitlab, token, contact, rotation, rotationLease, secret, checkInterval, options.clock());
        rotator.verified(verifiedToken, expiresAt);
        ScheduledFuture<?> unused = scheduler.scheduleWithFixedDelay(
                rotator,
                options.timings().leaseRenew().toMillis(),
                options.timings().leaseRenew().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * With {@code capacityAware: quota} (the default) or {@code nodes} (also the nodes' room), the gate that holds job requests back while the executor
     * namespace's quotas have no room for the fleet's Job Pod: the pod of a job naming no services of its own (what
     * {@code explain} describes), built as every job's. A job's {@code KUBERNETES_*_REQUEST} overrides or its own
     * services can make its pod larger than that; the quota admission still refuses such a pod if it does not fit.
     */
    private CapacityGate startCapacityGate(JobEnvironment env) {
        if (runner.kubernetes().capacityAwareOrDefault() == CapacityAware.NONE) {
            return CapacityGate.off();
        }
        Pod jobPod;
        try {
            jobPod = JobPodBuilder.build(PlaceholderJob.forExecutor(runner.kubernetes()), env.podContext())
                    .pod();
        } catch (RuntimeException e) {
            LOG.warn("cannot size the fleet's Job Pod ({}); job requests are not held back for quotas", e.toString());
            return CapacityGate.off();
        }
        if (runner.kubernetes().capacityAwareOrDefault().checksNodes()) {
            return CapacityGate.nodes(kubernetes, runner.kubernetes().namespace(), jobPod, () -> informer.list());
        }
        return CapacityGate.quota(
                kubernetes, runner.kubernetes().namespace(), PodSize.of(jobPod), () -> informer.list());
    }

    public boolean ready() {
        return started && informer != null && informer.hasSynced();
    }

    /** Whether the fleet is paused as this manager last read it from its Lease (no job is asked for then). */
    public boolean paused() {
        return lease != null && lease.paused();
    }

    public ManagerMetrics metrics() {
        return metrics;
    }

    public int metricsPort() {
        return metricsServer.port();
    }

    public RunningJobs runningJobs() {
        return running;
    }

    /** SIGQUIT: no new jobs; every running job finishes and is reported here; then the Lease goes. */
    public void finishJobsAndStop() throws InterruptedException {
        stopPolling();
        while (running.size() > 0) {
            Thread.sleep(200);
        }
        stopEverything(true);
    }

    /**
     * SIGTERM: no new jobs; the Lease is released at once so a peer adopts the running jobs without waiting for it
     * to expire; the Job Pods carry on. Returns within {@code shutdown_timeout}.
     */
    public void handOverAndStop() throws InterruptedException {
        long deadline = System.nanoTime()
                + Duration.ofSeconds(Math.max(1, config.shutdownTimeoutSeconds()))
                        .toNanos();
        stopPolling();
        adopter.stop();
        running.all().forEach(RunningJob::abandon);
        lease.release();
        while (running.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        stopEverything(false);
    }

    /** As if the process were killed: no hand-over, no cleanup, the Lease simply stops being renewed. */
    public void crash() {
        pollers.forEach(JobPoller::stop);
        if (adopter != null) {
            adopter.stop();
        }
        running.all().forEach(RunningJob::abandon);
        scheduler.shutdownNow();
        jobs.shutdownNow();
        pollerThreads.shutdownNow();
        closeWatchers();
    }

    @Override
    public void close() {
        crash();
    }

    private void stopPolling() {
        pollers.forEach(JobPoller::stop);
        pollerThreads.shutdownNow();
    }

    private void stopEverything(boolean releaseLease) throws InterruptedException {
        if (adopter != null) {
            adopter.stop();
        }
        scheduler.shutdownNow();
        jobs.shutdown();
        jobs.awaitTermination(5, TimeUnit.SECONDS);
        if (releaseLease && lease != null) {
            lease.release();
        }
        if (rotationLease != null) {
            rotationLease.release();
        }
        closeWatchers();
        LOG.info("manager={} stopped", identity.podName());
    }

    private void closeWatchers() {
        capacity.close();
        if (informer != null) {
            informer.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
    }

    private MetricsHttpServer startMetricsServer() {
        String address = options.listenAddress() != null ? options.listenAddress() : config.listenAddress();
        try {
            return new MetricsHttpServer(
                    MetricsHttpServer.parseListenAddress(address),
                    metrics.registry(),
                    this::ready,
                    () -> !scheduler.isShutdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for /metrics", e);
        }
    }

    private void countApiCall(ApiCall call) {
        metrics.apiRequest(call.endpoint().label(), call.status(), call.method());
        // Any answer below 500 shows GitLab reachable, also while every slot is busy and no job is requested.
        if (call.hasResponse() && call.status() < 500) {
            contact.answered(options.clock().instant());
        }
    }

    private String fleetName() {
        return runner.fleet().name() != null ? runner.fleet().name() : runner.name();
    }

    private String leaseNamespace() {
        return runner.fleet().namespace() != null ? runner.fleet().namespace() : identity.podNamespace();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
