package io.runnerfleet.faults;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.bench.DeploymentController;
import io.runnerfleet.bench.Figures;
import io.runnerfleet.bench.FleetConvergenceBenchmark;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.KubeFaultProxy;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Issue #18's faults on the Kubernetes side: the operator in-process talks to the real kube-apiserver + etcd
 * ({@link RealApiServer}) through a {@link KubeFaultProxy} (10 % 500/503/429, 5 % 409 on updates, 1–3 s latency on
 * 10 %, watch streams ended every 5–20 s); the test (and the played Deployment controller) talk to the API server
 * directly. Fleets are created under those faults and must converge; then a full outage of the proxy, during which
 * every fleet is changed ({@code spec.managers.replicas} 3 → 2), and after it every fleet must converge again.
 */
public final class KubeFaults implements FaultScenario {
    static final long SEED = 18;

    @Override
    public String name() {
        return "kube";
    }

    /**
     * One run.
     *
     * @param convergedUnderFaults  fleets Ready with their objects as wanted, created while the faults ran
     * @param convergedAfterOutage  fleets converged on their changed spec after the outage
     * @param secondsAfterOutage    from the outage's end until the last fleet converged (or the deadline)
     * @param writesPerFleet        writes the operator made through the proxy per fleet, while converging under faults
     */
    record Run(
            int fleets,
            int convergedUnderFaults,
            int convergedAfterOutage,
            double secondsToConverge,
            double secondsAfterOutage,
            double writesPerFleet,
            int injectedErrors,
            int injectedConflicts,
            int delayed,
            int watchesEnded,
            int refused) {}

    @Override
    public void run(FaultSize size, Figures out) throws Exception {
        Run run = run(size);
        out.add("kube_faults_fleets", run.fleets(), "fleets");
        out.add("kube_faults_injected_errors", run.injectedErrors(), "calls");
        out.add("kube_faults_injected_conflicts", run.injectedConflicts(), "calls");
        out.add("kube_faults_injected_delays", run.delayed(), "calls");
        out.add("kube_faults_watches_ended", run.watchesEnded(), "watches");
        out.add("kube_faults_outage", size.kubeOutage().toSeconds(), "s");
        out.add("kube_faults_refused_in_outage", run.refused(), "calls");
        out.add("kube_faults_converged_under_faults", run.convergedUnderFaults(), "fleets");
        out.add("kube_faults_seconds_to_converge_under_faults", run.secondsToConverge(), "s");
        out.add("kube_faults_writes_per_fleet", run.writesPerFleet(), "writes");
        out.add("kube_faults_converged_after_outage", run.convergedAfterOutage(), "fleets");
        out.add("kube_faults_seconds_to_converge_after_outage", run.secondsAfterOutage(), "s");
    }

    static Run run(FaultSize size) throws Exception {
        RealApiServer server = RealApiServer.shared();
        Path dir = Files.createTempDirectory("kube-faults");
        try (TestCluster cluster = RealApiTestCluster.on(server);
                DeploymentController controller = new DeploymentController(cluster);
                KubeFaultProxy proxy = KubeFaultProxy.start(server.adminConfig(), dir);
                KubernetesClient behindProxy = RealApiServer.newClient(proxy.clientConfig())) {
            List<String> namespaces = new ArrayList<>();
            for (int i = 0; i < size.kubeNamespaces(); i++) {
                String ns = cluster.createNamespace("faults");
                cluster.client().resource(Fleets.tokenSecret(ns)).create();
                namespaces.add(ns);
            }
            proxy.plan(KubeFaultProxy.Plan.unreliable(SEED));
            OperatorConfig config = FleetConvergenceBenchmark.operatorConfig(namespaces, Duration.ofMinutes(10));
            try (RunnerFleetOperator operator = RunnerFleetOperator.start(behindProxy, config)) {
                long start = System.nanoTime();
                FleetConvergenceBenchmark.createAll(cluster, namespaces, size.kubeFleets());
                int under = awaitConverged(cluster, namespaces, size.kubeFleets(), 3, size.kubeDeadline());
                double toConverge = (System.nanoTime() - start) / 1e9;
                double writesPerFleet = (double) proxy.count("write") / size.kubeFleets();
                System.err.printf(
                        "faults: kube %d of %d fleets converged under faults in %.1f s%n",
                        under, size.kubeFleets(), toConverge);

                proxy.outage(true);
                System.err.printf(
                        "faults: kube outage of %d s, every fleet changed meanwhile%n",
                        size.kubeOutage().toSeconds());
                long outageStart = System.nanoTime();
                for (RunnerFleet fleet : FleetConvergenceBenchmark.fleets(cluster, namespaces)) {
                    cluster.client()
                            .resource(Fleets.with(fleet, "spec.managers.replicas", 2))
                            .update();
                }
                Thread.sleep(Math.max(0, size.kubeOutage().toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
                proxy.outage(false);
                long end = System.nanoTime();
                int after = awaitConverged(cluster, namespaces, size.kubeFleets(), 2, size.kubeDeadline());
                double afterSeconds = (System.nanoTime() - end) / 1e9;
                return new Run(
                        size.kubeFleets(),
                        under,
                        after,
                        toConverge,
                        afterSeconds,
                        writesPerFleet,
                        proxy.count("error"),
                        proxy.count("conflict"),
                        proxy.count("slow"),
                        proxy.count("cut"),
                        proxy.count("refused"));
            }
        }
    }

    /** Polls until every fleet has converged with {@code replicas} managers or the deadline; returns how many have. */
    private static int awaitConverged(
            TestCluster cluster, List<String> namespaces, int fleets, int replicas, Duration deadline)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        int converged = 0;
        while (System.nanoTime() < end) {
            converged = converged(cluster, namespaces, replicas);
            if (converged == fleets) {
                return converged;
            }
            Thread.sleep(250);
        }
        return converged;
    }

    /**
     * Fleets that are Ready for their current generation and whose manager Deployment has {@code replicas}, all
     * ready (read directly from the API server, not through the proxy).
     */
    static int converged(TestCluster cluster, List<String> namespaces, int replicas) {
        int n = 0;
        for (String ns : namespaces) {
            List<Deployment> deployments =
                    cluster.client().apps().deployments().inNamespace(ns).list().getItems();
            for (RunnerFleet fleet : cluster.client()
                    .resources(RunnerFleet.class)
                    .inNamespace(ns)
                    .list()
                    .getItems()) {
                if (fleetConverged(fleet, deployments, replicas)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean fleetConverged(RunnerFleet fleet, List<Deployment> deployments, int replicas) {
        if (!FleetConvergenceBenchmark.isReady(fleet)
                || !Objects.equals(
                        fleet.getStatus().observedGeneration(),
                        fleet.getMetadata().getGeneration())) {
            return false;
        }
        for (HasMetadata want : FleetObjects.of(fleet, OperatorConfig.defaults().defaultsForFleets())
                .all()) {
            if (want instanceof Deployment) {
                return deployments.stream()
                        .filter(d -> d.getMetadata()
                                .getName()
                                .equals(want.getMetadata().getName()))
                        .anyMatch(d -> Objects.equals(d.getSpec().getReplicas(), replicas)
                                && d.getStatus() != null
                                && Objects.equals(d.getStatus().getReadyReplicas(), replicas));
            }
        }
        return false;
    }
}
