package io.runnerfleet.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.base.TextFiles;
import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.config.ConfigTomlReader;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.gitlab.client.RunnerTokenRejectedException;
import io.runnerfleet.manager.ManagerIdentity;
import io.runnerfleet.manager.ManagerOptions;
import io.runnerfleet.manager.RunnerManager;
import io.runnerfleet.manager.RunnerToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runner-fleet manager}: a GitLab-compatible runner manager. SIGTERM hands running jobs over to a peer
 * (their pods keep running); SIGHUP finishes them first, as gitlab-runner's graceful SIGQUIT does (the image's
 * entrypoint turns SIGQUIT into SIGHUP, since the JVM keeps SIGQUIT for thread dumps).
 */
@Command(
        name = "manager",
        mixinStandardHelpOptions = true,
        description =
                "Runs GitLab jobs as Job Pods: polls GitLab, streams logs, reports " + "results; metrics on :9252.",
        footer = {
            "",
            "The token comes from --token-file or RUNNER_TOKEN; the manager's identity from POD_NAME and "
                    + "POD_NAMESPACE; Kubernetes from the in-cluster config or KUBECONFIG.",
            "SIGTERM: stop taking jobs, release the Lease so a peer adopts the running jobs, exit within "
                    + "shutdown_timeout. SIGHUP (SIGQUIT through the image's entrypoint): finish the running "
                    + "jobs first."
        })
final class ManagerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerCommand.class);

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "gitlab-runner compatible config.toml (the operator renders it into a ConfigMap).")
    private Path configFile;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the runner authentication token; default: the RUNNER_TOKEN variable.")
    private Path tokenFile;

    @Option(
            names = "--listen-address",
            paramLabel = "HOST:PORT",
            description = "Overrides listen_address of config.toml for /metrics and the health endpoints.")
    private String listenAddress;

    @Override
    public Integer call() throws Exception {
        ManagerConfig config = readConfig();
        RunnerToken token;
        try {
            token = RunnerToken.load(Optional.ofNullable(tokenFile), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    tokenFile == null ? "environment" : tokenFile.toString(),
                    tokenFile == null ? RunnerToken.ENV : "--token-file",
                    e.getMessage());
        }
        CacheCredentialsEnv.S3Keys cacheKeys = CacheCredentialsEnv.S3Keys.from(System.getenv());
        requireCacheCredentials(config, cacheKeys);
        String fallbackNamespace =
                config.runners().isEmpty() || config.runners().get(0).fleet().namespace() == null
                        ? "default"
                        : config.runners().get(0).fleet().namespace();
        ManagerIdentity identity = ManagerIdentity.fromEnvironment(System.getenv(), fallbackNamespace);
        ManagerOptions defaults = ManagerOptions.defaults();
        ManagerOptions options = new ManagerOptions(
                defaults.timings(), defaults.uploader(), defaults.gitlab(), listenAddress, defaults.clock(), cacheKeys);

        try (KubernetesClient kubernetes = KubernetesClients.connect()) {
            RunnerManager manager;
            try {
                manager = new RunnerManager(config, token, identity, kubernetes, options);
                manager.start();
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(configFile.toString(), "runners", e.getMessage());
            } catch (RunnerTokenRejectedException e) {
                throw new InvalidInputException(
                        tokenFile == null ? "environment" : tokenFile.toString(),
                        tokenFile == null ? RunnerToken.ENV : "--token-file",
                        "GitLab rejected the runner token (" + e.getMessage() + "); create a runner in GitLab and "
                                + "put its authentication token (glrt-...) in the fleet's token Secret");
            }
            return waitForSignal(manager, Duration.ofSeconds(Math.max(1, config.shutdownTimeoutSeconds())));
        }
    }

    /** An s3 cache signs with keys from the environment (the fleet's cache Secret); without them, exit 2. */
    private static void requireCacheCredentials(ManagerConfig config, CacheCredentialsEnv.S3Keys keys) {
        boolean s3 = config.runners().stream()
                .anyMatch(r -> r.cache() != null && r.cache().type() == io.runnerfleet.api.v1alpha1.CacheType.S3);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CacheCredentialsEnv.S3_ACCESS_KEY, keys.accessKey());
        values.put(CacheCredentialsEnv.S3_SECRET_KEY, keys.secretKey());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String name = entry.getKey();
            if (s3 && entry.getValue() == null) {
                throw new InvalidInputException(
                        "environment",
                        name,
                        "missing; [runners.cache] is s3, so the manager needs the cache keys (the fleet's "
                                + "spec.runner.cache.s3.credentialsSecret, keys accesskey and secretkey)");
            }
        }
    }

    private ManagerConfig readConfig() {
        String text = TextFiles.read(configFile);
        ConfigTomlReader.Result result = ConfigTomlReader.read(configFile.toString(), text);
        result.ignoredKeys().forEach(key -> LOG.warn("config={} key={} is not used by runner-fleet", configFile, key));
        return result.config();
    }

    private int waitForSignal(RunnerManager manager, Duration shutdownTimeout) throws InterruptedException {
        Stopping stopping = new Stopping();
        // A hand-over gets shutdown_timeout even when the API server cannot be reached; finishing the running jobs
        // (gitlab-runner's graceful stop) waits for them, as gitlab-runner does.
        Runnable handOver = () ->
                stopping.once("SIGTERM: handing running jobs over to peers", manager::handOverAndStop, shutdownTimeout);
        Runnable finish = () -> stopping.once(
                "SIGHUP/SIGQUIT: finishing running jobs before stopping", manager::finishJobsAndStop, null);
        // The JVM keeps SIGQUIT for thread dumps: the image's entrypoint passes gitlab-runner's graceful SIGQUIT
        // on as SIGHUP. The shutdown hook covers exits no handler saw.
        Runtime.getRuntime().addShutdownHook(new Thread(handOver, "shutdown-hand-over"));
        handle("TERM", handOver);
        handle("INT", handOver);
        handle("HUP", finish);
        stopping.stopped.await();
        return Main.EXIT_OK;
    }

    /** A stopping step that may be asked for twice (a signal, then the shutdown hook) but runs once. */
    @FunctionalInterface
    private interface Stop {
        void run() throws InterruptedException;
    }

    /** Runs the first stop asked for, at most for its time limit; later requests wait for it, never forever. */
    private static final class Stopping {
        private final AtomicBoolean started = new AtomicBoolean();
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile Duration limit;

        void once(String message, Stop stop, Duration timeLimit) {
            if (!started.compareAndSet(false, true)) {
                await(limit);
                return;
            }
            limit = timeLimit;
            LOG.info(message);
            Thread worker = new Thread(
                    () -> {
                        try {
                            stop.run();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (RuntimeException e) {
                            LOG.error("stopping failed: {}", e.toString());
                        } finally {
                            stopped.countDown();
                        }
                    },
                    "manager-stop");
            worker.setDaemon(true);
            worker.start();
            if (!await(timeLimit)) {
                LOG.warn(
                        "stopping took longer than shutdown_timeout={}s; exiting anyway (the Job Pods carry on)",
                        timeLimit.toSeconds());
                stopped.countDown();
            }
        }

        private boolean await(Duration timeLimit) {
            try {
                if (timeLimit == null) {
                    stopped.await();
                    return true;
                }
                return stopped.await(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @SuppressWarnings("removal")
    private static void handle(String signal, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(action, "sig" + signal).start());
        } catch (IllegalArgumentException e) {
            LOG.warn("signal={} cannot be handled on this JVM: {}", signal, e.getMessage());
        }
    }
}
