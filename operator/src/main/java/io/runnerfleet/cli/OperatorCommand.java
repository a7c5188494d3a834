package io.runnerfleet.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runner-fleet operator}: reconciles RunnerFleets until stopped. Every setting is an option with an
 * environment variable as its default, read once here into an {@link OperatorConfig}. Reaches Kubernetes the usual
 * fabric8 way: in-cluster, or {@code KUBECONFIG} / {@code ~/.kube/config}.
 */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Reconciles RunnerFleet resources into manager Deployments and everything they need.",
        footer = {"", "Serves /healthz, /readyz and /metrics (JOSDK metrics) on --health-port.",
                "With --leader-election only the holder of the Lease runner-fleet-operator",
                "(in POD_NAMESPACE, named POD_NAME) reconciles; standbys are ready.",
                "Roles, RoleBindings and Job Pods of executor namespaces are watched in all",
                "namespaces (by label): a fleet may run its Job Pods in any namespace."})
final class OperatorCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--watch-namespaces", paramLabel = "NS[,NS...]",
            defaultValue = "${env:RUNNER_FLEET_WATCH_NAMESPACES:-}",
            description = "Namespaces whose RunnerFleets are reconciled, comma-separated; empty means all "
                    + "(env RUNNER_FLEET_WATCH_NAMESPACES).")
    private String watchNamespaces;

    @Option(names = "--health-port", paramLabel = "PORT",
            defaultValue = "${env:RUNNER_FLEET_HEALTH_PORT:-" + OperatorConfig.DEFAULT_HEALTH_PORT + "}",
            description = "Port of /healthz, /readyz and /metrics; -1 serves none (env RUNNER_FLEET_HEALTH_PORT; "
                    + "default: ${DEFAULT-VALUE}).")
    private int healthPort;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:RUNNER_FLEET_LOG_LEVEL:-INFO}",
            description = "TRACE, DEBUG, INFO, WARN or ERROR (env RUNNER_FLEET_LOG_LEVEL; default: ${DEFAULT-VALUE}).")
    private String logLevel;

    @Option(names = "--manager-image", paramLabel = "IMAGE",
            description = "Manager image for fleets that name none (env RUNNER_FLEET_MANAGER_IMAGE; default: the "
                    + "operator's own image, ${DEFAULT-VALUE}).")
    private String managerImage = System.getenv().getOrDefault("RUNNER_FLEET_MANAGER_IMAGE",
            OperatorDefaults.forThisBuild().managerImage());

    @Option(names = "--leader-election", negatable = true,
            defaultValue = "${env:RUNNER_FLEET_LEADER_ELECTION:-false}",
            description = "Elect a leader through a coordination.k8s.io Lease; needed with more than one replica "
                    + "(env RUNNER_FLEET_LEADER_ELECTION; default: ${DEFAULT-VALUE}).")
    private boolean leaderElection;

    @Option(names = "--resync-interval", paramLabel = "DURATION",
            defaultValue = "${env:RUNNER_FLEET_RESYNC_INTERVAL:-PT10M}",
            description = "Longest time between two reconciliations of an unchanged fleet, ISO-8601 "
                    + "(env RUNNER_FLEET_RESYNC_INTERVAL; default: ${DEFAULT-VALUE}).")
    private Duration resyncInterval;

    @Override
    public Integer call() throws InterruptedException {
        OperatorConfig config;
        try {
            config = new OperatorConfig(OperatorConfig.parseNamespaces(watchNamespaces), healthPort, logLevel,
                    managerImage, resyncInterval, leaderElection, System.getenv("POD_NAMESPACE"),
                    System.getenv("POD_NAME"));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(Main.EXIT_OK);
        KubernetesClient client = new KubernetesClientBuilder().build();
        RunnerFleetOperator operator;
        try {
            // A leader that lost its Lease exits; Kubernetes restarts it, and it comes back as a standby.
            operator = RunnerFleetOperator.start(client, config, () -> {
                exitCode.set(Main.EXIT_FAILURE);
                stopped.countDown();
            });
        } catch (RuntimeException e) {
            client.close();
            spec.commandLine().getErr().println("error: cannot start the operator against " + client.getMasterUrl()
                    + ": " + rootCause(e) + " (is the cluster reachable, the CRD applied (kubectl apply -f crd/)?)");
            return Main.EXIT_FAILURE;
        }
        // The JVM exits once the hooks return: stop the operator inside the hook, not after it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            stopped.countDown();
        }, "operator-shutdown"));
        stopped.await();
        return exitCode.get();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
