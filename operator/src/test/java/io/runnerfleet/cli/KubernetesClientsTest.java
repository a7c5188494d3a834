package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The operator and the manager build their Kubernetes client in one place. Found by the memory benchmark: against a
 * plain-http endpoint (fabric8's mock, {@code kubectl proxy}) the JDK client's HTTP/2 upgrade made the first large
 * response fail with "Frame type(34) length(...) exceeds MAX_FRAME_SIZE": the JSON body was read as HTTP/2 frames.
 */
class KubernetesClientsTest {

    @Test
    void aPlainHttpEndpointIsSpokenToInHttp11() {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        Config config = KubernetesClients.adjust(
                new ConfigBuilder().withMasterUrl(server.url("/")).build());

        assertThat(config.isHttp2Disable()).isTrue();
        String large = "x".repeat(2_000_000);
        try (KubernetesClient setup = server.createClient()) {
            setup.configMaps()
                    .inNamespace("shop")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("large")
                            .endMetadata()
                            .addToData("value", large)
                            .build())
                    .create();
        }
        // The JDK client tries the cleartext upgrade on requests without a body; concurrent GETs of a new client then
        // read a large body as HTTP/2 frames (reproduced here before the fix: "Frame type(120) length(7895160)").
        try (KubernetesClient client = KubernetesClients.connect(config)) {
            List<CompletableFuture<Integer>> reads = IntStream.range(0, 20)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.configMaps()
                            .inNamespace("shop")
                            .withName("large")
                            .get()
                            .getData()
                            .get("value")
                            .length()))
                    .toList();
            for (CompletableFuture<Integer> read : reads) {
                assertThat(read.join()).isEqualTo(large.length());
            }
        } finally {
            server.destroy();
        }
    }

    @Test
    void anHttpsEndpointKeepsHttp2() {
        Config config = KubernetesClients.adjust(
                new ConfigBuilder().withMasterUrl("https://10.96.0.1:443").build());

        assertThat(config.isHttp2Disable()).isFalse();
    }
}
