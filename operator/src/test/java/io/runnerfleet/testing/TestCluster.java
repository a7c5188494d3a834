package io.runnerfleet.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes API a component test runs against, behind one small interface so that the same test bodies can
 * run on fabric8's mock API server ({@link MockTestCluster}) today and on a real kube-apiserver later. No
 * controllers run on either: a test plays the Deployment controller with {@link #setDeploymentReady}.
 */
public interface TestCluster extends AutoCloseable {

    /** A client shared by the test and the operator; the operator must not close it. */
    KubernetesClient client();

    /** Creates a fresh namespace whose name starts with {@code prefix}, and returns its name. */
    default String createNamespace(String prefix) {
        String name = prefix + "-" + NamespaceNames.NEXT.incrementAndGet();
        client().namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    /**
     * Plays the Deployment controller ({@link DeploymentControllerStatus}): the Deployment's status says its
     * current spec is observed, all replicas are updated, and {@code ready} of them are ready, written through the
     * status subresource.
     */
    default void setDeploymentReady(String namespace, String name, int ready) {
        // The operator may update the Deployment in between (409): read again, so the status always observes the
        // generation it was computed from.
        for (int attempt = 1; ; attempt++) {
            Deployment deployment = client().apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            deployment.setStatus(DeploymentControllerStatus.of(deployment, ready));
            try {
                client().apps()
                        .deployments()
                        .inNamespace(namespace)
                        .resource(deployment)
                        .updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Mutating API requests (POST, PUT, PATCH, DELETE) seen so far, as "METHOD path", oldest first. */
    List<String> writes();

    @Override
    void close();

    /** Names of namespaces this JVM's fixtures created, unique across fixtures. */
    final class NamespaceNames {
        static final AtomicInteger NEXT = new AtomicInteger();

        private NamespaceNames() {}
    }
}
