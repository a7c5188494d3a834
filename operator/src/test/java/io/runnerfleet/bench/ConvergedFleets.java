package io.runnerfleet.bench;

import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.MockTestCluster;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * An API server (the real kube-apiserver + etcd of {@link RealApiServer}, or fabric8's mock) with namespaces (each
 * with the fleets' token Secret) and the played Deployment controller; once an operator has converged fleets in it,
 * the operator memory benchmark can start the operator process against it instead of converging 1,000 fleets a
 * second time ({@link #handOver}).
 */
final class ConvergedFleets implements AutoCloseable {
    private static ConvergedFleets left;

    final TestCluster cluster;
    /** How a process of its own reaches this API server (with {@code --watch-namespaces}, no context namespace). */
    final String kubeconfig;

    final DeploymentController controller;
    final List<String> namespaces = new ArrayList<>();
    int fleets;

    private ConvergedFleets(TestCluster cluster, String kubeconfig, int namespaceCount) {
        this.cluster = cluster;
        this.kubeconfig = kubeconfig;
        controller = new DeploymentController(cluster);
        for (int i = 0; i < namespaceCount; i++) {
            String ns = cluster.createNamespace("bench");
            namespaces.add(ns);
            cluster.client().resource(Fleets.tokenSecret(ns)).create();
        }
    }

    /** On the shared real API server; closing closes only this client (the server stays for the JVM). */
    static ConvergedFleets onRealApiServer(int namespaceCount) {
        RealApiServer server = RealApiServer.shared();
        return new ConvergedFleets(RealApiTestCluster.on(server), server.kubeconfigYaml(), namespaceCount);
    }

    /** On a fresh mock API server, closed with this. */
    static ConvergedFleets onMock(int namespaceCount) {
        MockTestCluster mock = MockTestCluster.start();
        return new ConvergedFleets(
                mock, mockKubeconfig(mock.client().getMasterUrl().toString()), namespaceCount);
    }

    private static String mockKubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock}}]
                current-context: mock
                """.formatted(server);
    }

    /** Keeps these converged fleets for a later benchmark of this run (closing any kept before). */
    static synchronized void handOver(ConvergedFleets converged) {
        if (left != null) {
            left.close();
        }
        left = converged;
    }

    /** The kept fleets if there are this many in this many namespaces, else null; the caller closes them. */
    static synchronized ConvergedFleets take(int fleets, int namespaceCount) {
        ConvergedFleets kept = left;
        left = null;
        if (kept != null && (kept.fleets != fleets || kept.namespaces.size() != namespaceCount)) {
            kept.close();
            return null;
        }
        return kept;
    }

    @Override
    public void close() {
        controller.close();
        cluster.close();
    }
}
