package io.runnerfleet.fleet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.ExecutorNamespace;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.validation.FleetSemantics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold before any dependent is touched, beyond the schema: {@link FleetSemantics} (requests within
 * limits, a usable name, a real affinity) and an executor namespace that exists. The token Secret is checked
 * separately ({@link TokenSecretCheck}) because it has its own condition.
 */
final class FleetValidator {
    static final String EXECUTOR_NAMESPACE_PATH = "spec.executor.namespace";

    private final KnownNamespaces namespaces;

    FleetValidator(KubernetesClient client, Clock clock) {
        this.namespaces =
                new KnownNamespaces(name -> client.namespaces().withName(name).get() != null, clock);
    }

    List<FieldProblem> problems(RunnerFleet fleet) {
        List<FieldProblem> problems = new ArrayList<>(FleetSemantics.check(fleet));
        if (fleet.getSpec() == null) {
            return problems;
        }
        String executorNamespace = ExecutorNamespace.of(fleet);
        // The fleet's own namespace exists (the fleet is in it); only another one needs a look-up.
        if (!executorNamespace.equals(fleet.getMetadata().getNamespace()) && !namespaces.exists(executorNamespace)) {
            problems.add(new FieldProblem(
                    EXECUTOR_NAMESPACE_PATH,
                    "namespace \"" + executorNamespace
                            + "\" does not exist; create it (kubectl create namespace " + executorNamespace
                            + ") or set spec.executor.namespace to an existing namespace"));
        }
        return problems;
    }

    static boolean executorNamespaceMissing(List<FieldProblem> problems) {
        return problems.stream().anyMatch(p -> EXECUTOR_NAMESPACE_PATH.equals(p.path()));
    }
}
