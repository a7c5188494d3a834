package io.runnerfleet.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.testcontainers.k3s.K3sContainer;

/**
 * A real k3s (Testcontainers) with every CRD of {@code crd/} applied and established. Unlike the mock, its
 * controllers run: the Deployment controller owns Deployment status, and a manager pod really pulls its image.
 * The container's life belongs to the caller (JUnit's {@code @Container}); {@link #close()} closes the client.
 */
public final class K3sTestCluster implements TestCluster {
    /** k3s v1.31: native sidecars (restartPolicy Always init containers) are on. */
    public static final String IMAGE = "rancher/k3s:v1.31.4-k3s1";

    private static final Path CRD_DIR = Path.of("..", "crd");

    private final KubernetesClient client;

    private K3sTestCluster(KubernetesClient client) {
        this.client = client;
    }

    /** A client from the k3s kubeconfig, with {@code crd/} applied and established. */
    public static K3sTestCluster of(K3sContainer k3s) {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        for (Path file : crdFiles()) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(file.toFile())
                    .item();
            client.resource(crd).create();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> established(client, crd.getMetadata().getName()));
        }
        return new K3sTestCluster(client);
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    /** A real API server does not hand out the requests it served. */
    @Override
    public List<String> writes() {
        throw new UnsupportedOperationException("k3s does not record requests; count writes on the mock");
    }

    @Override
    public void close() {
        client.close();
    }

    private static List<Path> crdFiles() {
        try (Stream<Path> files = Files.list(CRD_DIR)) {
            return files.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean established(KubernetesClient client, String name) {
        CustomResourceDefinition crd = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .get();
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
