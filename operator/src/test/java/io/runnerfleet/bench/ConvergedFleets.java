package io.runnerfleet.bench;

import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.MockTestCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * A mock API server with namespaces (each with the fleets' token Secret) and the played Deployment controller; once
 * an operator has converged fleets in it, the memory benchmark can start the operator process against it instead of
 * converging 1,000 fleets a second time ({@link #handOver}).
 */
final class ConvergedFleets implements AutoCloseable {
    private static ConvergedFleets left;

    final MockTestCluster cluster;
    final DeploymentController controller;
    final List<String> namespaces = new ArrayList<>();
    int fleets;

    ConvergedFleets(int namespaceCount) {
        cluster = MockTestCluster.start();
        controller = new DeploymentController(cluster);
        for (int i = 0; i < namespaceCount; i++) {
            String ns = cluster.createNamespace("bench");
            namespaces.add(ns);
            cluster.client().resource(Fleets.tokenSecret(ns)).create();
        }
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
