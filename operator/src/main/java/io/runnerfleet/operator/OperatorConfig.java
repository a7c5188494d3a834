package io.runnerfleet.operator;

import io.runnerfleet.desired.OperatorDefaults;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's own settings, loaded once at start (from {@code runner-fleet operator}'s options and their
 * environment variables) and passed down; nothing reads the environment later.
 *
 * @param watchNamespaces namespaces whose RunnerFleets are reconciled; empty means all
 * @param healthPort port of /healthz, /readyz and /metrics; 0 picks a free port (tests), -1 serves none
 * @param logLevel root log level (TRACE, DEBUG, INFO, WARN, ERROR)
 * @param managerImage image of fleets that name none
 * @param resyncInterval longest time between two reconciliations of an unchanged fleet
 * @param leaderElection whether operators elect a leader through the Lease {@link #LEASE_NAME}; only the leader
 *                       reconciles, the others keep their caches warm and take over when its Lease expires
 * @param leaseNamespace namespace of that Lease (the operator's own, {@code POD_NAMESPACE}); null: the client's
 *                       namespace (kubeconfig or in-cluster service account)
 * @param identity       this operator's name in the Lease ({@code POD_NAME}); null: {@code HOSTNAME}, else random
 */
public record OperatorConfig(
        Set<String> watchNamespaces,
        int healthPort,
        String logLevel,
        String managerImage,
        Duration resyncInterval,
        boolean leaderElection,
        String leaseNamespace,
        String identity) {
    /** The operators' leader-election Lease, in {@link #leaseNamespace}. */
    public static final String LEASE_NAME = "runner-fleet-operator";

    public static final int DEFAULT_HEALTH_PORT = 8080;
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public OperatorConfig {
        watchNamespaces = watchNamespaces == null ? Set.of() : Set.copyOf(new TreeSet<>(watchNamespaces));
        logLevel = logLevel == null ? "INFO" : logLevel.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("log level " + logLevel + " is not one of " + LEVELS);
        }
        if (healthPort < -1 || healthPort > 65535) {
            throw new IllegalArgumentException("health port " + healthPort + " is not between -1 and 65535");
        }
        managerImage = managerImage == null ? OperatorDefaults.forThisBuild().managerImage() : managerImage;
        resyncInterval = resyncInterval == null ? DEFAULT_RESYNC : resyncInterval;
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resync interval must be positive");
        }
        leaseNamespace = blankToNull(leaseNamespace);
        identity = blankToNull(identity);
    }

    public static OperatorConfig defaults() {
        return new OperatorConfig(Set.of(), DEFAULT_HEALTH_PORT, "INFO", null, DEFAULT_RESYNC, false, null, null);
    }

    /** Parses {@code a,b , c} as the namespaces a, b and c; blank means all namespaces. */
    public static Set<String> parseNamespaces(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return Set.of();
        }
        Set<String> namespaces = new TreeSet<>();
        Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(namespaces::add);
        return namespaces;
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }

    public OperatorDefaults defaultsForFleets() {
        return new OperatorDefaults(managerImage);
    }

    public OperatorConfig withWatchNamespaces(Set<String> namespaces) {
        return new OperatorConfig(
                namespaces,
                healthPort,
                logLevel,
                managerImage,
                resyncInterval,
                leaderElection,
                leaseNamespace,
                identity);
    }

    public OperatorConfig withHealthPort(int port) {
        return new OperatorConfig(
                watchNamespaces,
                port,
                logLevel,
                managerImage,
                resyncInterval,
                leaderElection,
                leaseNamespace,
                identity);
    }

    public OperatorConfig withResyncInterval(Duration interval) {
        return new OperatorConfig(
                watchNamespaces,
                healthPort,
                logLevel,
                managerImage,
                interval,
                leaderElection,
                leaseNamespace,
                identity);
    }

    /** Leader election on, with the Lease in {@code namespace} and this operator named {@code identity}. */
    public OperatorConfig withLeaderElection(String namespace, String identity) {
        return new OperatorConfig(
                watchNamespaces, healthPort, logLevel, managerImage, resyncInterval, true, namespace, identity);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
