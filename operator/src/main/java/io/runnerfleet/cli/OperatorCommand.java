package io.runnerfleet.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.OperatorOption;
import io.runnerfleet.operator.RunnerFleetOperator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code runner-fleet operator}: reconciles RunnerFleets until stopped. Every setting is an {@link OperatorOption}
 * with an environment variable as its default, read once here into an {@link OperatorConfig}. Reaches Kubernetes
 * the usual fabric8 way: in-cluster, or {@code KUBECONFIG} / {@code ~/.kube/config}.
 */
@Command(
        name = "operator",
        mixinStandardHelpOptions = true,
        description = "Reconciles RunnerFleet resources into manager Deployments and everything they need.",
        footer = {
            "",
            "Serves /healthz, /readyz and /metrics (JOSDK metrics) on --health-port.",
            "With --leader-election only the holder of the Lease runner-fleet-operator",
            "(in POD_NAMESPACE, named POD_NAME) reconciles; standbys are ready.",
            "Roles, RoleBindings and Job Pods of executor namespaces are watched in all",
            "namespaces (by label): a fleet may run its Job Pods in any namespace."
        },
        modelTransformer = OperatorCommand.DeclaredOptions.class)
final class OperatorCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        OperatorConfig config;
        try {
            config = new OperatorConfig(
                    OperatorConfig.parseNamespaces(value(OperatorOption.WATCH_NAMESPACES)),
                    value(OperatorOption.HEALTH_PORT),
                    value(OperatorOption.LOG_LEVEL),
                    value(OperatorOption.MANAGER_IMAGE),
                    value(OperatorOption.RESYNC_INTERVAL),
                    value(OperatorOption.LEADER_ELECTION),
                    System.getenv("POD_NAMESPACE"),
                    System.getenv("POD_NAME"));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(Main.EXIT_OK);
        KubernetesClient client = KubernetesClients.connect();
        RunnerFleetOperator operator;
        try {
            // A leader that lost its Lease exits; Kubernetes restarts it, and it comes back as a standby.
            operator = RunnerFleetOperator.start(client, config, () -> {
                exitCode.set(Main.EXIT_FAILURE);
                stopped.countDown();
            });
        } catch (RuntimeException e) {
            client.close();
            spec.commandLine()
                    .getErr()
                    .println("error: cannot start the operator against " + client.getMasterUrl() + ": " + rootCause(e)
                            + " (is the cluster reachable, the CRD applied (kubectl apply -f crd/)?)");
            return Main.EXIT_FAILURE;
        }
        // The JVM exits once the hooks return: stop the operator inside the hook, not after it.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            operator.close();
                            client.close();
                            stopped.countDown();
                        },
                        "operator-shutdown"));
        stopped.await();
        return exitCode.get();
    }

    // As picocli's own OptionSpec.getValue(): the caller names the option's type, which OperatorOption.type() declares.
    @SuppressWarnings("TypeParameterUnusedInFormals")
    private <T> T value(OperatorOption option) {
        return spec.findOption(option.flag()).getValue();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** Adds an option for each {@link OperatorOption}, so that no option is declared twice. */
    static final class DeclaredOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (OperatorOption option : OperatorOption.values()) {
                OptionSpec.Builder builder = OptionSpec.builder(option.flag())
                        .type(option.type())
                        .negatable(option.isSwitch())
                        .defaultValue("${env:" + option.env() + ":-" + option.defaultValue() + "}")
                        .description(option.description().replace("`", "") + " (env " + option.env() + "; default: "
                                + option.defaultText() + ").");
                if (option.paramLabel() != null) {
                    builder.paramLabel(option.paramLabel());
                }
                command.addOption(builder.build());
            }
            return command;
        }
    }
}
