package io.runnerfleet.operator;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runnerfleet.fleet.FleetReconciler;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the operator: JOSDK configured for create/update/merge-patch instead of server-side apply (what the tests'
 * API server supports, and so what ships), the fleet controller on the configured namespaces, Micrometer metrics
 * and the health server. Does not own the Kubernetes client: the caller closes it.
 */
public final class RunnerFleetOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerFleetOperator.class);

    private final Operator operator;
    private final PrometheusMeterRegistry registry;
    private final HealthServer health;

    private RunnerFleetOperator(Operator operator, PrometheusMeterRegistry registry, HealthServer health) {
        this.operator = operator;
        this.registry = registry;
        this.health = health;
    }

    public static RunnerFleetOperator start(KubernetesClient client, OperatorConfig config) {
        applyLogLevel(config.logLevel());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Operator operator = new Operator(overrider -> overrider
                .withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .checkingCRDAndValidateLocalModel(false)
                .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry)));
        operator.register(new FleetReconciler(client, config.defaultsForFleets(), Clock.systemUTC()), override -> {
            if (config.watchesAllNamespaces()) {
                override.watchingAllNamespaces();
            } else {
                override.settingNamespaces(config.watchNamespaces());
            }
            override.withReconciliationMaxInterval(config.resyncInterval());
        });
        operator.start();
        HealthServer health = config.healthPort() < 0 ? null
                : new HealthServer(config.healthPort(), operator.getRuntimeInfo(), registry);
        LOG.info("operator started namespaces={} healthPort={} managerImage={}",
                config.watchesAllNamespaces() ? "all" : String.join(",", config.watchNamespaces()),
                health == null ? "none" : health.port(), config.managerImage());
        return new RunnerFleetOperator(operator, registry, health);
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
        if (health != null) {
            health.close();
        }
        operator.stop();
    }

    private static void applyLogLevel(String level) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level));
        }
    }
}
