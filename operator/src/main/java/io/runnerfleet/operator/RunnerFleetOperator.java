package io.runnerfleet.operator;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runnerfleet.fleet.CachedFields;
import io.runnerfleet.fleet.FleetReadyGauge;
import io.runnerfleet.fleet.FleetReconciler;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the operator: JOSDK configured for create/update/merge-patch instead of server-side apply (what the tests'
 * API server supports, and so what ships), the fleet controller on the configured namespaces, Micrometer metrics
 * and the health server. Does not own the Kubernetes client: the caller closes it.
 *
 * <p>With leader election, every replica starts its informers at once but only the holder of the Lease
 * {@link OperatorConfig#LEASE_NAME} reconciles; the others are hot standbys (ready, caches warm) and take over when
 * the leader releases the Lease (on {@link #close()}: JOSDK does not, so a rolling update would otherwise wait out
 * the lease duration) or stops renewing it (after the lease duration). A leader that loses the
 * Lease while running must not reconcile any more: it calls the {@code onLostLeadership} handler.
 */
public final class RunnerFleetOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerFleetOperator.class);

    private final KubernetesClient client;
    private final Operator operator;
    private final PrometheusMeterRegistry registry;
    private final Leadership leadership;
    private HealthServer health;

    private RunnerFleetOperator(
            KubernetesClient client, Operator operator, PrometheusMeterRegistry registry, Leadership leadership) {
        this.client = client;
        this.operator = operator;
        this.registry = registry;
        this.leadership = leadership;
    }

    /** Starts the operator; a leader that loses its Lease stops reconciling ({@link #close()}). */
    public static RunnerFleetOperator start(KubernetesClient client, OperatorConfig config) {
        AtomicReference<RunnerFleetOperator> self = new AtomicReference<>();
        return start(
                client,
                config,
                () -> {
                    RunnerFleetOperator operator = self.get();
                    if (operator != null) {
                        operator.close();
                    }
                },
                self);
    }

    /**
     * Starts the operator; {@code onLostLeadership} runs (on its own thread) when this operator led and lost the
     * Lease without being closed, e.g. because it could not renew it in time. It must make sure this operator
     * reconciles no more: the command exits the process, so that Kubernetes restarts it as a standby.
     */
    public static RunnerFleetOperator start(KubernetesClient client, OperatorConfig config, Runnable onLostLeadership) {
        return start(client, config, onLostLeadership, new AtomicReference<>());
    }

    private static RunnerFleetOperator start(
            KubernetesClient client,
            OperatorConfig config,
            Runnable onLostLeadership,
            AtomicReference<RunnerFleetOperator> self) {
        applyLogLevel(config.logLevel());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String leaseNamespace = config.leaseNamespace() != null
                ? config.leaseNamespace()
                : client.getConfiguration().getNamespace();
        String identity = config.identity() != null ? config.identity() : "runner-fleet-operator-" + UUID.randomUUID();
        Leadership leadership = new Leadership(config.leaderElection(), leaseNamespace, identity, onLostLeadership);
        Operator operator = new Operator(overrider -> {
            overrider
                    .withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
            if (config.leaderElection()) {
                // JOSDK would call System.exit when leadership ends, also on a normal stop inside the JVM's
                // shutdown hook; Leadership tells a loss from a stop instead.
                overrider.withLeaderElectionConfiguration(
                        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(OperatorConfig.LEASE_NAME)
                                .withLeaseNamespace(leaseNamespace)
                                .withIdentity(identity)
                                .withExitOnStopLeading(false)
                                .withLeaderCallbacks(leadership.callbacks())
                                .build());
            }
        });
        FleetReadyGauge readyGauge = new FleetReadyGauge(registry);
        operator.register(
                new FleetReconciler(client, config.defaultsForFleets(), Clock.systemUTC(), readyGauge), override -> {
                    if (config.watchesAllNamespaces()) {
                        override.watchingAllNamespaces();
                    } else {
                        override.settingNamespaces(config.watchNamespaces());
                    }
                    // The fleets' cache trimmed like the others, where it is one informer (CachedFields says why).
                    if (config.watchesAllNamespaces()
                            || config.watchNamespaces().size() == 1) {
                        override.withItemStore(new CachedFields<>());
                    }
                    override.withReconciliationMaxInterval(config.resyncInterval());
                });
        RunnerFleetOperator started = new RunnerFleetOperator(client, operator, registry, leadership);
        self.set(started);
        operator.start();
        started.health = config.healthPort() < 0
                ? null
                : new HealthServer(config.healthPort(), operator.getRuntimeInfo(), registry, leadership::describe);
        LOG.info(
                "operator started namespaces={} healthPort={} managerImage={} leaderElection={}",
                config.watchesAllNamespaces() ? "all" : String.join(",", config.watchNamespaces()),
                started.health == null ? "none" : started.health.port(),
                config.managerImage(),
                config.leaderElection() ? "lease " + OperatorConfig.LEASE_NAME : "off");
        return started;
    }

    /** Whether this operator reconciles: it holds the Lease, or leader election is off. */
    public boolean isLeader() {
        return leadership.leading();
    }

    /** The port /healthz, /readyz and /metrics answer on, or -1. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (!leadership.close()) {
            return;
        }
        if (health != null) {
            health.close();
        }
        boolean wasLeading = leadership.elected && leadership.leading();
        operator.stop();
        if (wasLeading) {
            releaseLease();
        }
    }

    /**
     * Hands the Lease over at once, the way client-go's ReleaseOnCancel does: no holder, and a one-second duration.
     * Only when it still names this operator, and with its resourceVersion, so a Lease another operator took is
     * never touched.
     */
    private void releaseLease() {
        try {
            Lease lease = client.resources(Lease.class)
                    .inNamespace(leadership.namespace)
                    .withName(OperatorConfig.LEASE_NAME)
                    .get();
            if (lease == null
                    || lease.getSpec() == null
                    || !leadership.identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setAcquireTime(now);
            lease.getSpec().setRenewTime(now);
            client.resources(Lease.class)
                    .inNamespace(leadership.namespace)
                    .resource(lease)
                    .lockResourceVersion(lease.getMetadata().getResourceVersion())
                    .update();
            LOG.info("released Lease {}/{}", leadership.namespace, OperatorConfig.LEASE_NAME);
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not release Lease {}/{} ({}); a standby takes over when it expires",
                    leadership.namespace,
                    OperatorConfig.LEASE_NAME,
                    e.getMessage());
        }
    }

    /** Who leads, as the Lease says; and whether losing the Lease was asked for (close) or not. */
    private static final class Leadership {
        private final boolean elected;
        private final String namespace;
        private final String identity;
        private final Runnable onLost;
        private final AtomicBoolean leading = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicReference<String> leader = new AtomicReference<>();

        Leadership(boolean elected, String namespace, String identity, Runnable onLost) {
            this.elected = elected;
            this.namespace = namespace;
            this.identity = identity;
            this.onLost = onLost;
            leading.set(!elected);
        }

        LeaderCallbacks callbacks() {
            return new LeaderCallbacks(this::started, this::stopped, leader::set);
        }

        private void started() {
            leading.set(true);
            LOG.info("leading: this operator holds Lease {} and reconciles", OperatorConfig.LEASE_NAME);
        }

        private void stopped() {
            leading.set(false);
            if (closed.get()) {
                LOG.info("stopped leading: the operator is stopping");
                return;
            }
            LOG.error(
                    "lost Lease {} to {} while running; reconciling no more", OperatorConfig.LEASE_NAME, leader.get());
            Thread thread = new Thread(onLost, "lost-leadership");
            thread.setDaemon(false);
            thread.start();
        }

        boolean leading() {
            return leading.get();
        }

        /** Marks the operator closed; false when it already was. */
        boolean close() {
            return closed.compareAndSet(false, true);
        }

        String describe() {
            if (!elected) {
                return "";
            }
            String holder = leader.get();
            return leading.get() ? "leader" : "standby, leader is " + (holder == null ? "unknown" : holder);
        }
    }

    private static void applyLogLevel(String level) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level));
        }
    }
}
